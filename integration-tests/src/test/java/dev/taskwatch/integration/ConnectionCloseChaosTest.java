package dev.taskwatch.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.Fault;
import dev.taskwatch.testkit.RecordedRequest;
import dev.taskwatch.testkit.ScriptedTask;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The connection faults that pooled keep-alive clients meet in production: a server that closes an idle connection
 * just as the client reuses it, and an HTTP/1.0-style server that ends each body by closing the connection. Many
 * watches share one pool while both faults hit 30 % of the answers; every watch must still end with its scripted
 * outcome. Real time, like the other chaos tests, with delays of milliseconds and a generous bound.
 */
class ConnectionCloseChaosTest {

    private static final int TASKS = 200;

    @Test
    void everyWatchEndsWithItsScriptedOutcomeWhenConnectionsCloseUnderIt() {
        try (CatalogSimulator sim = CatalogSimulator.start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        .responseTimeout(Duration.ofSeconds(5))
                        .build()) {
            for (int i = 0; i < TASKS; i++) {
                ScriptedTask task = sim.task("zone-1", "task-" + i)
                        .running(Duration.ofMillis(200 + i % 7 * 50))
                        .randomFaults(0.3, i, Fault.closeOnReuse(), Fault.closeDelimitedBody());
                if (i % 5 == 0) {
                    task.fails("failure " + i);
                }
            }
            TaskWatcher watcher = TaskWatcher.create(
                    client,
                    WatchOptions.defaults()
                            .initialDelay(Duration.ofMillis(10))
                            .multiplier(1.5)
                            .maxDelay(Duration.ofMillis(60)));

            List<Task> ends = Flux.range(0, TASKS)
                    .flatMap(i -> watcher.watch("zone-1", "task-" + i).last())
                    .collectList()
                    .block(Duration.ofSeconds(60));

            assertThat(ends).hasSize(TASKS);
            Map<TaskStatus, Long> outcomes =
                    ends.stream().collect(Collectors.groupingBy(Task::status, Collectors.counting()));
            assertThat(outcomes)
                    .containsOnly(
                            Map.entry(TaskStatus.COMPLETED, (long) TASKS * 4 / 5),
                            Map.entry(TaskStatus.FAILED, (long) TASKS / 5));
            Map<Fault, Long> hits = sim.requests().stream()
                    .filter(r -> r.fault() != null)
                    .collect(Collectors.groupingBy(RecordedRequest::fault, Collectors.counting()));
            // Both faults happened, and connections were closed under requests that reused them.
            assertThat(hits).containsKeys(Fault.closeOnReuse(), Fault.closeDelimitedBody());
            assertThat(sim.requests()).anySatisfy(r -> {
                assertThat(r.status()).isZero();
                assertThat(r.fault()).isEqualTo(Fault.closeOnReuse());
            });
        }
    }
}
