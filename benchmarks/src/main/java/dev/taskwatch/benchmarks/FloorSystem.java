package dev.taskwatch.benchmarks;

import java.net.URI;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The floor for this stack: a bare Reactor Netty {@code GET}, the body decoded with Jackson into a tree to read
 * {@code status}, and the next request scheduled with {@code Mono.delay} one second after the answer. No backoff, no
 * error handling, no transitions, no validation: what any watcher on Reactor Netty + Jackson must at least spend.
 */
final class FloorSystem implements WatchSystem {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String COMPLETED = "completed";

    private final URI baseUrl;
    private final ConnectionProvider provider;
    private final HttpClient http;

    FloorSystem(URI baseUrl) {
        this.baseUrl = baseUrl;
        // Same pool shape as taskwatch's client (64 connections, unbounded queue), so the floor is not penalised.
        this.provider = ConnectionProvider.builder("floor")
                .maxConnections(64)
                .pendingAcquireMaxCount(-1)
                .build();
        this.http = HttpClient.create(provider);
    }

    @Override
    public void watch(String zoneId, String taskId, Listener listener) {
        String url = WatchSystem.taskUrl(baseUrl, zoneId, taskId);
        Mono<String> get = http.get().uri(url).responseSingle((response, body) -> {
            if (response.status().code() == 303) {
                return body.then(Mono.just(COMPLETED));
            }
            return body.asByteArray().map(bytes -> {
                JsonNode node = MAPPER.readTree(bytes);
                return node.get("status").asString();
            });
        });
        WatchSystem.report(
                get.expand(status -> COMPLETED.equals(status)
                        ? Mono.empty()
                        : Mono.delay(INTERVAL).then(get)),
                COMPLETED::equals,
                COMPLETED::equals,
                listener);
    }

    @Override
    public void close() {
        provider.dispose();
    }
}
