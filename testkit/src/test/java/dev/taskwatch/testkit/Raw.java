package dev.taskwatch.testkit;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/** A bare HTTP exchange, for checking exactly what the simulator sends. */
record Raw(int status, HttpHeaders headers, String body) {

    private static final HttpClient CLIENT = HttpClient.create().followRedirect(false);

    static Raw get(URI base, String path) {
        return exchange(base, "GET", path, h -> {}, null);
    }

    static Raw exchange(URI base, String method, String path, Consumer<HttpHeaders> headers, String body) {
        return CLIENT.headers(headers)
                .request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
                .uri(base + path)
                .send(
                        body == null
                                ? ByteBufFlux.empty()
                                : ByteBufFlux.fromString(reactor.core.publisher.Mono.just(body)))
                .responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(s -> new Raw(res.status().code(), res.responseHeaders(), s)))
                .block(Duration.ofSeconds(10));
    }
}
