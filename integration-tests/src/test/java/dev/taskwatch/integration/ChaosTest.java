package dev.taskwatch.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.Fault;
import dev.taskwatch.testkit.ScriptedTask;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** Many tasks under seeded random faults: the simulator keeps answering, and a retrying client gets every outcome. */
class ChaosTest {

    @Test
    void everyTaskIsReachedThroughSeededFaults() {
        try (CatalogSimulator sim = CatalogSimulator.start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        .responseTimeout(Duration.ofMillis(500))
                        .build()) {
            for (int i = 0; i < 100; i++) {
                ScriptedTask task = sim.task("zone-1", "task-" + i)
                        .notFoundFor(i % 3)
                        .randomFaults(
                                0.2,
                                42L,
                                Fault.status(503).retryAfter(Duration.ofSeconds(1)),
                                Fault.status(429),
                                Fault.htmlBadGateway(),
                                Fault.reset(),
                                Fault.malformedBody(),
                                Fault.stall(Duration.ofMillis(20)),
                                Fault.stallForever());
                if (i % 4 == 0) {
                    task.fails("failure " + i);
                }
            }

            List<Task> outcomes = Flux.range(0, 100)
                    .flatMap(i -> Mono.defer(() -> client.retrieve("zone-1", "task-" + i))
                            .retryWhen(Retry.max(20).filter(e -> e instanceof CatalogException)))
                    .collectList()
                    .block(Duration.ofSeconds(120));

            assertThat(outcomes).hasSize(100);
            assertThat(outcomes.stream().filter(t -> t.status() == TaskStatus.FAILED))
                    .hasSize(25);
            assertThat(outcomes.stream().filter(t -> t.status() == TaskStatus.COMPLETED))
                    .hasSize(75);
            assertThat(sim.requests()).anySatisfy(r -> assertThat(r.fault()).isNotNull());
            assertThat(sim.requestCount()).isGreaterThan(100 + 99);
        }
    }
}
