package dev.taskwatch.core;

import java.util.Map;
import java.util.Objects;

/**
 * How the client authenticates. Credentials are sent only to the client's base URL, never over plain {@code http}
 * except to a loopback address, and never appear in {@code toString()}, logs or exception messages.
 *
 * <pre>{@code
 * Credentials.bearer(System.getenv("KEYCARD_API_API_KEY"));
 * Credentials.clientCredentials(clientId, clientSecret);   // OAuth2, token cached until shortly before expiry
 * Credentials.fromEnvironment();                          // what the Keycard SDKs read
 * }</pre>
 */
public sealed interface Credentials permits NoCredentials, BearerCredentials, ClientCredentials {

    /**
     * No {@code Authorization} header at all (the catalog endpoints declare no security of their own).
     *
     * @return the shared instance; safe over plain {@code http} to any host
     */
    static Credentials none() {
        return NoCredentials.INSTANCE;
    }

    /**
     * A static API key, sent as {@code Authorization: Bearer <token>}.
     *
     * @param token the API key, not {@code null}; sent as given, without trimming
     * @return bearer credentials whose {@code toString()} hides the token
     * @throws IllegalArgumentException if the token is blank or contains characters not allowed in a header
     */
    static Credentials bearer(String token) {
        return new BearerCredentials(RequestValues.requireToken(token, "token"));
    }

    /**
     * OAuth2 client credentials: the client obtains a token from {@code POST {baseUrl}/service-account-token} (HTTP
     * Basic auth with the id and secret), caches it until shortly before it expires, shares one in-flight token
     * request among concurrent callers, and on a {@code 401} drops the cached token and retries the request once.
     *
     * @param clientId the service account's client id, not {@code null}
     * @param clientSecret the service account's secret, not {@code null}
     * @return client credentials whose {@code toString()} hides both the id and the secret
     * @throws IllegalArgumentException if either value is blank or contains control characters
     */
    static Credentials clientCredentials(String clientId, String clientSecret) {
        return new ClientCredentials(
                RequestValues.requireToken(clientId, "clientId"),
                RequestValues.requireToken(clientSecret, "clientSecret"));
    }

    /**
     * Credentials from the environment variables the Keycard SDKs read: {@code KEYCARD_API_API_KEY} (bearer), else
     * {@code KEYCARD_API_CLIENT_ID} with {@code KEYCARD_API_CLIENT_SECRET} (client credentials), else none.
     *
     * @return the credentials found; {@link #none()} when none of the variables is set (an empty value counts as
     *     unset)
     * @throws IllegalArgumentException if only one of the client id and secret is set, or a value is unusable
     */
    static Credentials fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * As {@link #fromEnvironment()}, reading the given variables instead of the process environment.
     *
     * @param environment the variables by name, not {@code null}
     * @return the credentials found; {@link #none()} when none of the variables is set (an empty value counts as
     *     unset)
     * @throws IllegalArgumentException if only one of the client id and secret is set, or a value is unusable
     */
    static Credentials fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        String apiKey = nonEmpty(environment.get("KEYCARD_API_API_KEY"));
        if (apiKey != null) {
            return bearer(apiKey);
        }
        String id = nonEmpty(environment.get("KEYCARD_API_CLIENT_ID"));
        String secret = nonEmpty(environment.get("KEYCARD_API_CLIENT_SECRET"));
        if (id != null && secret != null) {
            return clientCredentials(id, secret);
        }
        if (id != null || secret != null) {
            throw new IllegalArgumentException(
                    "KEYCARD_API_CLIENT_ID and KEYCARD_API_CLIENT_SECRET must be set together (only "
                            + (id != null ? "KEYCARD_API_CLIENT_ID" : "KEYCARD_API_CLIENT_SECRET")
                            + " is set)");
        }
        return none();
    }

    private static String nonEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
