package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.TASK;
import static dev.taskwatch.core.Fixtures.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.guard.ReactiveTestGuard;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Cancelling an exchange at the moment its response arrives loses no buffer. Reactor Netty hands the response to
 * the caller before the body is read; a cancel that lands in between can leave the body queued in the connection's
 * inbound buffer, where nothing releases it, unless the client discards it. The window is microseconds wide, so
 * several threads each cancel many exchanges, each after the server has received the request and a random spin
 * around the time the answer takes to come back, and the test fails on any leak report.
 */
class CancelAtResponseTest {

    private static final int THREADS = 4;
    private static final int ROUNDS = 250;
    private static final long MAX_SPIN_NANOS = 400_000;

    private final Map<String, Boolean> arrived = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();

    @Test
    // 1,000 exchanges take about 16 s alone and over 30 s (the module default) with a full build beside them.
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cancellingAsTheResponseArrivesLeaksNothing() throws Exception {
        // Reactor Netty's server writes the head and the body in one flush, so the client usually reads the whole
        // response at once: the case where the body is queued before anyone could subscribe to it.
        byte[] task = Fixtures.task(TASK, "running").getBytes(StandardCharsets.UTF_8);
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> {
                    arrived.put(request.requestHeaders().get("X-Client-Request-ID"), Boolean.TRUE);
                    return response.header("Content-Type", "application/json").sendByteArray(Mono.just(task));
                })
                .bindNow();
        ReactiveTestGuard.collectLeaks(); // reports from earlier tests are theirs, not this test's
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .credentials(Credentials.none())
                .build()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(threads.submit(() -> cancelRepeatedly(client, thread)));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
            server.disposeNow();
        }
        // Both outcomes happened, so the cancels straddled the answers.
        assertThat(answered.get()).isBetween(1, THREADS * ROUNDS - 1);
        assertThat(ReactiveTestGuard.collectLeaks()).isEmpty();
    }

    private void cancelRepeatedly(CatalogTasksClient client, int thread) {
        SplittableRandom random = new SplittableRandom(thread);
        for (int i = 0; i < ROUNDS; i++) {
            String id = "t" + thread + "-" + i;
            AtomicBoolean ended = new AtomicBoolean();
            Disposable exchange = client.exchange(ZONE, TASK, id)
                    .doFinally(signal -> ended.set(true))
                    .subscribe(r -> answered.incrementAndGet(), e -> {});
            // Until the request is at the server (or the exchange failed on its own, as a reused connection may).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (arrived.remove(id) == null && !ended.get()) {
                assertThat(System.nanoTime())
                        .as("exchange %s still pending", id)
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            long until = System.nanoTime() + random.nextLong(MAX_SPIN_NANOS);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            exchange.dispose();
        }
    }
}
