package dev.taskwatch.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.testing.Await;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;

/**
 * Judges a client's connection pool from outside, by what the simulator sees of it: no connection is still lent out
 * exactly when every one of the client's {@code maxConnections} can hold a request at the same moment. A connection an
 * exchange never gave back would leave one request waiting for it, and the simulator would count one stall fewer.
 */
final class ConnectionPoolCheck {

    private static final String ZONE = "pool-check";
    private static final AtomicInteger CHECKS = new AtomicInteger();

    private ConnectionPoolCheck() {}

    /**
     * Sends {@code maxConnections} requests at once to a task that never answers, waits until the simulator holds all
     * of them, then cancels them and waits until it holds none (the cancel closed those connections).
     *
     * @throws AssertionError if fewer than {@code maxConnections} requests could be held at once
     */
    static void assertEveryConnectionFree(CatalogSimulator sim, CatalogTasksClient client, int maxConnections) {
        assertEveryConnectionFree(sim, client, maxConnections, Duration.ofSeconds(30));
    }

    static void assertEveryConnectionFree(
            CatalogSimulator sim, CatalogTasksClient client, int maxConnections, Duration within) {
        assertThat(sim.stalledRequests())
                .as("stalled requests before the check")
                .isZero();
        String taskId = "free-" + CHECKS.incrementAndGet();
        sim.task(ZONE, taskId).running(Duration.ofDays(1)).randomFaults(1.0, 0L, Fault.stallForever());
        List<Disposable> held = new ArrayList<>(maxConnections);
        try {
            for (int i = 0; i < maxConnections; i++) {
                // Resubscribed if the client's response timeout ends a stall: it only has to be held once, with the
                // rest.
                held.add(client.retrieve(ZONE, taskId).retry().subscribe(t -> {}, e -> {}));
            }
            Await.until(
                    () -> sim.stalledRequests() == maxConnections,
                    within,
                    () -> "only " + sim.stalledRequests() + " of the client's " + maxConnections
                            + " connections could hold a request at once: the others are still lent out");
        } finally {
            held.forEach(Disposable::dispose);
        }
        Await.until(
                () -> sim.stalledRequests() == 0,
                Duration.ofSeconds(30),
                () -> sim.stalledRequests() + " requests still held after their cancel");
    }
}
