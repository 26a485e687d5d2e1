package dev.taskwatch.core;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

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

    /**
     * The credential of the {@code Basic} header sent to the token endpoint: {@code id:secret}, each form-encoded
     * first (RFC 6749 §2.3.1), in Base64. A secret in its own right.
     */
    String basicCredential() {
        return Base64.getEncoder()
                .encodeToString((form(clientId) + ":" + form(clientSecret)).getBytes(StandardCharsets.UTF_8));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // The client id is not a secret by itself, but it is half of one: keep it out too.
        return "Credentials.clientCredentials(<redacted>)";
    }
}
