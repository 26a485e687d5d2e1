package dev.taskwatch.core;

final class BearerCredentials implements Credentials {
    private final String token;

    BearerCredentials(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "Credentials.bearer(<redacted>)";
    }
}
