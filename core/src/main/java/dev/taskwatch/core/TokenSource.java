package dev.taskwatch.core;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * OAuth2 client-credentials tokens: fetched on first use, cached until shortly before they expire, one in-flight
 * request shared by all concurrent callers, dropped when the API refuses them.
 */
final class TokenSource {

    /** A token and when to stop using it. {@code toString()} never shows the value. */
    static final class Token {
        private final String value;
        private final Instant refreshAt;
        // A flag on the token itself rather than a "last refused" slot: with one slot, a late 401 for an older token
        // overwrote the mark on the current one, which then stayed cached although the API had refused it.
        private volatile boolean refused;

        Token(String value, Instant refreshAt) {
            this.value = value;
            this.refreshAt = refreshAt;
        }

        String header() {
            return "Bearer " + value;
        }

        @Override
        public String toString() {
            return "Token{<redacted>, refreshAt=" + refreshAt + "}";
        }
    }

    /** Without {@code expires_in} a token is re-fetched after this long (a 401 would also drop it sooner). */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(1);

    private static final Duration MAX_EARLY_REFRESH = Duration.ofSeconds(30);
    private static final Duration MAX_LIFETIME = Duration.ofDays(365);

    private final Mono<Token> cached;
    private final Clock clock;

    TokenSource(HttpClient http, URI baseUrl, ClientCredentials credentials, int maxResponseBytes, Clock clock) {
        this.clock = clock;
        String path = Endpoint.tokenPath(baseUrl);
        String request = "POST " + path;
        String uri = Endpoint.origin(baseUrl) + path;
        String basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString((form(credentials.clientId()) + ":" + form(credentials.clientSecret()))
                                .getBytes(StandardCharsets.UTF_8));
        // Read with the size cap, like every other body (responseSingle would aggregate unbounded).
        Mono<Token> fetch = http.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, basic)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .post()
                .uri(uri)
                .send(ByteBufMono.fromString(Mono.just("grant_type=client_credentials")))
                .response((response, body) -> {
                    int status = response.status().code();
                    if (status != 200) {
                        return Bodies.readDetail(response.responseHeaders(), body, maxResponseBytes)
                                .<Token>map(bytes -> {
                                    throw refusal(request, status, bytes);
                                });
                    }
                    return Bodies.readCapped(
                                    response.responseHeaders(), body, maxResponseBytes, () -> request + " → " + status)
                            .map(bytes -> parse(request, bytes));
                })
                .singleOrEmpty()
                .switchIfEmpty(Mono.error(
                        () -> new CatalogTransportException(request + " ended without a response", null, true)))
                .onErrorMap(
                        e -> !(e instanceof CatalogException),
                        e -> NettyCatalogTasksClient.transportFailure(request, e));
        this.cached = fetch.cacheInvalidateIf(
                token -> token.refused || !clock.instant().isBefore(token.refreshAt));
    }

    /** The current token, fetching one if none is cached or it is about to expire. */
    Mono<Token> token() {
        return cached;
    }

    /** Stops using {@code token}: the API refused it. */
    void invalidate(Token token) {
        token.refused = true;
    }

    private Token parse(String request, BodyBuffer body) {
        Fields fields;
        try {
            fields = TaskCodec.decode(body.array(), 0, body.size(), TokenSource::fields);
        } catch (TaskCodec.MalformedException e) {
            throw new CatalogProtocolException(
                    request + " → 200 with an invalid token response: " + e.getMessage(), e, true);
        }
        String value = fields.accessToken();
        if (value == null) {
            throw new CatalogProtocolException(request + " → 200 without an access_token", null, false);
        }
        try {
            HeaderValues.requireToken(value, "access_token");
        } catch (IllegalArgumentException e) {
            throw new CatalogProtocolException(
                    request + " → 200 with an unusable access_token (value not shown)", null, false);
        }
        String type = fields.tokenType();
        if (type != null && !type.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new CatalogProtocolException(
                    request + " → 200 with token_type " + HeaderValues.quote(type) + ", expected Bearer", null, false);
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
        return new Token(value, clock.instant().plus(lifetime).minus(early));
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

    /**
     * The token endpoint's error answer. A definite one (a 404 from a wrong base URL as much as a 401) means the
     * client cannot authenticate: a {@link CatalogAuthenticationException}, never taken for a task's 404. One that
     * may pass (408, 429, 5xx) stays a transient {@link CatalogApiException}.
     */
    private static CatalogException refusal(String request, int status, BodyBuffer bytes) {
        Warning body = TaskCodec.decodeErrorLeniently(bytes.array(), 0, bytes.size());
        CatalogApiException answer = new CatalogApiException(
                request,
                status,
                body == null ? null : body.codeValue(),
                body == null ? null : body.message(),
                body == null ? List.of() : body.details(),
                body == null ? null : body.requestId(),
                null);
        return answer.isTransient() ? answer : new CatalogAuthenticationException(answer);
    }

    static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
