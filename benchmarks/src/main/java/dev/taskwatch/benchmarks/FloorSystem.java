package dev.taskwatch.benchmarks;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The floor for this stack: a bare Reactor Netty {@code GET}, the body decoded with Jackson into a tree to read
 * {@code status}, and the next request scheduled with {@code Mono.delay} after each answer, on the comparison's
 * {@link Schedule} (delay n after the n-th answer, never reset). No validation, error handling or transitions: what
 * any watcher on Reactor Netty + Jackson must at least spend.
 */
final class FloorSystem implements WatchSystem {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String COMPLETED = "completed";

    private final URI baseUrl;
    private final Schedule schedule;
    private final ConnectionProvider provider;
    private final HttpClient http;

    FloorSystem(URI baseUrl, Schedule schedule) {
        this.baseUrl = baseUrl;
        this.schedule = schedule;
        this.provider = WatchSystem.pool("floor");
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
        AtomicInteger answers = new AtomicInteger(); // the n of the next delay
        WatchSystem.report(
                get.expand(status -> COMPLETED.equals(status)
                        ? Mono.empty()
                        : Mono.delay(schedule.delay(answers.getAndIncrement())).then(get)),
                COMPLETED::equals,
                COMPLETED::equals,
                listener);
    }

    @Override
    public void close() {
        provider.dispose();
    }
}
