package dev.taskwatch.core;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads the token endpoint's {@code 200} answer (RFC 6749 §5.1) into a {@link TokenSource.Token}: a usable
 * {@code access_token}, a {@code token_type} of Bearer if any, and when to fetch the next one.
 */
final class TokenResponse {

    /** Without {@code expires_in} a token is re-fetched after this long (a 401 would also drop it sooner). */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(1);

    private static final Duration MAX_EARLY_REFRESH = Duration.ofSeconds(30);
    private static final Duration MAX_LIFETIME = Duration.ofDays(365);

    private TokenResponse() {}

    /**
     * The token in {@code body}, to be refreshed half its lifetime early but at most 30 seconds early.
     *
     * @param request the request line for messages, such as {@code POST /service-account-token}
     * @throws CatalogProtocolException if the body is not a usable token response; never quoting the token
     */
    static TokenSource.Token parse(String request, CappedBody body, Clock clock) {
        Fields fields;
        try {
            fields = StrictJson.decode(body.array(), 0, body.size(), TokenResponse::fields);
        } catch (StrictJson.MalformedException e) {
            throw new CatalogProtocolException(
                    request + " → 200 with an invalid token response: " + e.getMessage(), e, true);
        }
        String value = fields.accessToken();
        if (value == null) {
            throw new CatalogProtocolException(request + " → 200 without an access_token", null, false);
        }
        try {
            RequestValues.requireToken(value, "access_token");
        } catch (IllegalArgumentException e) {
            throw new CatalogProtocolException(
                    request + " → 200 with an unusable access_token (value not shown)", null, false);
        }
        String type = fields.tokenType();
        if (type != null && !type.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new CatalogProtocolException(
                    request + " → 200 with token_type " + RequestValues.quote(type) + ", expected Bearer", null, false);
        }
        Duration lifetime = DEFAULT_LIFETIME;
        BigDecimal expiresIn = fields.expiresIn();
        if (expiresIn != null) {
            lifetime = Duration.ofSeconds(expiresIn
                    .max(BigDecimal.ZERO)
                    .min(BigDecimal.valueOf(MAX_LIFETIME.getSeconds()))
                    .longValue());
        }
        Duration early =
                lifetime.dividedBy(2).compareTo(MAX_EARLY_REFRESH) < 0 ? lifetime.dividedBy(2) : MAX_EARLY_REFRESH;
        return new TokenSource.Token(value, clock.instant().plus(lifetime).minus(early));
    }

    /** What a token response says; a field of another type than expected reads as absent. */
    private record Fields(
            @Nullable String accessToken,
            @Nullable String tokenType,
            @Nullable BigDecimal expiresIn) {}

    private static Fields fields(JsonParser p) {
        String accessToken = null;
        String tokenType = null;
        BigDecimal expiresIn = null;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && name.equals("access_token")) {
                accessToken = p.getString();
            } else if (value == JsonToken.VALUE_STRING && name.equals("token_type")) {
                tokenType = p.getString();
            } else if (value.isNumeric() && name.equals("expires_in")) {
                expiresIn = p.getDecimalValue();
            } else {
                p.skipChildren();
            }
        }
        return new Fields(accessToken, tokenType, expiresIn);
    }
}
