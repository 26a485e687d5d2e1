package dev.taskwatch.core;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;

/**
 * OAuth2 client-credentials tokens: fetched on first use, cached until shortly before they expire, one in-flight
 * request shared by all concurrent callers, dropped when the API refuses them.
 */
final class TokenSource {

    /** A token and when to stop using it. {@code toString()} never shows the value. */
    static final class Token {
        private final String value;
        private final Instant refreshAt;
        // On the token itself, not in a "last refused" slot of the source: a late 401 for an older token then cannot
        // mark (or unmark) the current one.
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

    private final Mono<Token> cached;

    TokenSource(HttpClient http, URI baseUrl, ClientCredentials credentials, int maxResponseBytes, Clock clock) {
        String path = Endpoint.tokenPath(baseUrl);
        String request = "POST " + path;
        String uri = Endpoint.origin(baseUrl) + path;
        String basic = "Basic " + credentials.basicCredential();
        // Read with the size cap, like every other body (responseSingle would aggregate unbounded).
        Mono<Token> fetch = http.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, basic)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .post()
                .uri(uri)
                .send(ByteBufMono.fromString(Mono.just("grant_type=client_credentials")))
                .response((response, body) -> {
                    int status = response.status().code();
                    if (status != 200) {
                        return CappedBody.readDetail(response.responseHeaders(), body, maxResponseBytes)
                                .<Token>map(bytes -> {
                                    throw refusal(
                                            ApiErrors.from(request, status, response.responseHeaders(), bytes, null));
                                });
                    }
                    return CappedBody.read(
                                    response.responseHeaders(), body, maxResponseBytes, () -> request + " → " + status)
                            .map(bytes -> TokenResponse.parse(request, bytes, clock));
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

    /**
     * The token endpoint's error answer. A definite one (a 404 from a wrong base URL as much as a 401) means the
     * client cannot authenticate: a {@link CatalogAuthenticationException}, never taken for a task's 404. One that
     * may pass (408, 429, 5xx) stays a transient {@link CatalogApiException}.
     */
    private static CatalogException refusal(CatalogApiException answer) {
        return answer.isTransient() ? answer : new CatalogAuthenticationException(answer);
    }
}
