package dev.taskwatch.testkit;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The simulator's OAuth2 server: {@code POST /service-account-token} issues tokens for client credentials (HTTP Basic,
 * form body {@code grant_type=client_credentials}), and {@link #authorized} tells whether a task request carries an
 * issued, unexpired token or an API key.
 */
final class TokenEndpoint {

    static final String PATH = "/service-account-token";

    private final Map<String, String> clients;
    private final Set<String> apiKeys;
    private final Duration tokenLifetime;
    private final Recorder recorder;
    private final Responses responses;
    /** Issued token → expiry in epoch millis by the simulator's clock. */
    private final ConcurrentHashMap<String, Long> tokens = new ConcurrentHashMap<>();

    private final AtomicInteger issued = new AtomicInteger();

    TokenEndpoint(
            Map<String, String> clients,
            Set<String> apiKeys,
            Duration tokenLifetime,
            Recorder recorder,
            Responses responses) {
        this.clients = Map.copyOf(clients);
        this.apiKeys = Set.copyOf(apiKeys);
        this.tokenLifetime = tokenLifetime;
        this.recorder = recorder;
        this.responses = responses;
    }

    int issued() {
        return issued.get();
    }

    void revokeAll() {
        tokens.clear();
    }

    /** Whether {@code req} has {@code Authorization: Bearer} with an API key or a token valid at {@code now}. */
    boolean authorized(HttpServerRequest req, long now) {
        String header = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String token = header.substring(7).trim();
        if (apiKeys.contains(token)) {
            return true;
        }
        Long expiry = tokens.get(token);
        return expiry != null && now < expiry;
    }

    /** Answers a request for {@link #PATH}. */
    Publisher<Void> serve(HttpServerRequest req, HttpServerResponse res, String path, long now) {
        if (!req.method().equals(HttpMethod.POST)) {
            recorder.record(req, now, null, null, 405, null);
            res.header(HttpHeaderNames.ALLOW, "POST");
            return responses.error(res, 405, "method " + req.method() + " not allowed", path, now, null, null);
        }
        return req.receive()
                .aggregate()
                .asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .flatMap(body -> Mono.from(issue(req, res, path, body, now)));
    }

    private Publisher<Void> issue(HttpServerRequest req, HttpServerResponse res, String path, String body, long now) {
        String[] client = basicCredentials(req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
        if (client == null || !accepted(client[0], client[1])) {
            recorder.record(req, now, null, null, 401, null);
            res.header(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"keycard\"");
            return responses.error(res, 401, "client authentication failed", path, now, null, "invalid_client");
        }
        String grantType = formValue(body, "grant_type");
        if (!"client_credentials".equals(grantType)) {
            recorder.record(req, now, null, null, 400, null);
            return responses.error(
                    res,
                    400,
                    grantType == null ? "grant_type is required" : "unsupported grant_type",
                    path,
                    now,
                    null,
                    grantType == null ? "invalid_request" : "unsupported_grant_type");
        }
        // Not a secret anyone needs to guess: ThreadLocalRandom keeps SecureRandom's blocking reads off the event loop.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String token = "sim-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        tokens.put(token, now + tokenLifetime.toMillis());
        issued.incrementAndGet();
        recorder.record(req, now, null, null, 200, null);
        byte[] json = ("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                        + tokenLifetime.getSeconds() + "}")
                .getBytes(StandardCharsets.US_ASCII);
        res.responseHeaders().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return Responses.body(res, HttpResponseStatus.OK, Responses.JSON, Unpooled.wrappedBuffer(json));
    }

    private boolean accepted(String id, String secret) {
        if (clients.isEmpty()) {
            return !id.isEmpty() && !secret.isEmpty();
        }
        return secret.equals(clients.get(id));
    }

    /** {@code [id, secret]} from {@code Basic base64(urlencode(id):urlencode(secret))}, or null. */
    static String @Nullable [] basicCredentials(@Nullable String header) {
        if (header == null || header.length() <= 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The decoded value of {@code name} in a form-urlencoded body; null if absent or badly encoded. */
    static @Nullable String formValue(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
