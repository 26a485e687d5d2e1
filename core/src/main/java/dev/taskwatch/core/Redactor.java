package dev.taskwatch.core;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Keeps credentials out of exceptions built from what a server sent. A server (or a proxy, or a debugging endpoint)
 * that echoes the request back puts our {@code Authorization} header into an error body, a Task field or a Jackson
 * parse message; those texts end up in exception messages and logs. Exceptions that contain none of the secrets are
 * returned as they are, so the common path costs one scan of the message chain.
 */
final class Redactor {

    static final String REDACTED = "<redacted>";

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** Redacts the static secrets of {@code credentials}: the bearer token, or the client id, secret and Basic value. */
    static Redactor of(Credentials credentials) {
        List<String> secrets = new ArrayList<>();
        if (credentials instanceof BearerCredentials bearer) {
            secrets.add(bearer.token());
        } else if (credentials instanceof ClientCredentials cc) {
            secrets.add(cc.clientSecret());
            // Half of a secret and often a recognisable one; it is also inside the Basic value below.
            secrets.add(cc.clientId());
            secrets.add(cc.basicCredential());
        }
        return new Redactor(secrets);
    }

    /**
     * {@code e} if none of the secrets (nor {@code authorization}'s credential, the header value sent with this
     * request) appears in it or its causes; otherwise an exception of the same type and transience with the secrets
     * replaced by {@value #REDACTED} and without the causes that carried them.
     */
    CatalogException scrub(CatalogException e, @Nullable String authorization) {
        List<String> all = secrets;
        String credential = credentialOf(authorization);
        if (credential != null && !secrets.contains(credential)) {
            all = new ArrayList<>(secrets);
            all.add(credential);
        }
        if (!leaks(e, all)) {
            return e;
        }
        CatalogException clean;
        if (e instanceof CatalogApiException api) {
            List<Warning.Detail> details = new ArrayList<>();
            for (Warning.Detail d : api.details()) {
                details.add(new Warning.Detail(
                        redactNullable(d.codeValue(), all),
                        redactNullable(d.field(), all),
                        redactNullable(d.message(), all)));
            }
            clean = new CatalogApiException(
                    redact(api.request(), all),
                    api.httpStatus(),
                    redactNullable(api.codeValue(), all),
                    redactNullable(api.serverMessage(), all),
                    details,
                    redactNullable(api.requestId(), all),
                    api.retryAfter());
        } else if (e instanceof CatalogAuthenticationException auth) {
            clean = new CatalogAuthenticationException((CatalogApiException) scrub(auth.refusal(), authorization));
        } else if (e instanceof CatalogProtocolException) {
            clean = new CatalogProtocolException(redact(String.valueOf(e.getMessage()), all), null, e.isTransient());
        } else {
            clean = new CatalogTransportException(redact(String.valueOf(e.getMessage()), all), null, e.isTransient());
        }
        clean.setStackTrace(e.getStackTrace());
        return clean;
    }

    private static @Nullable String credentialOf(@Nullable String authorization) {
        if (authorization == null) {
            return null;
        }
        int space = authorization.indexOf(' ');
        String value = space < 0 ? authorization : authorization.substring(space + 1);
        return value.isBlank() ? null : value;
    }

    private static boolean leaks(Throwable e, List<String> secrets) {
        if (secrets.isEmpty()) {
            return false;
        }
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; t = t.getCause(), depth++) {
            if (containsAny(t.getMessage(), secrets) || containsAny(t.toString(), secrets)) {
                return true;
            }
            if (t instanceof CatalogApiException api) {
                if (containsAny(api.serverMessage(), secrets)
                        || containsAny(api.codeValue(), secrets)
                        || containsAny(api.requestId(), secrets)) {
                    return true;
                }
                for (Warning.Detail d : api.details()) {
                    if (containsAny(d.codeValue(), secrets)
                            || containsAny(d.field(), secrets)
                            || containsAny(d.message(), secrets)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean containsAny(@Nullable String text, List<String> secrets) {
        if (text == null) {
            return false;
        }
        for (String s : secrets) {
            if (text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable String redactNullable(@Nullable String text, List<String> secrets) {
        return text == null ? null : redact(text, secrets);
    }

    private static String redact(String text, List<String> secrets) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, REDACTED);
        }
        return out;
    }
}
