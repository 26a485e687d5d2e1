package dev.taskwatch.core;

final class NoCredentials implements Credentials {
    static final NoCredentials INSTANCE = new NoCredentials();

    private NoCredentials() {}

    @Override
    public String toString() {
        return "Credentials.none()";
    }
}
