package dev.taskwatch.core;

final class ClientCredentials implements Credentials {
    private final String clientId;
    private final String clientSecret;

    ClientCredentials(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    @Override
    public String toString() {
        // The client id is not a secret by itself, but it is half of one: keep it out too.
        return "Credentials.clientCredentials(<redacted>)";
    }
}
