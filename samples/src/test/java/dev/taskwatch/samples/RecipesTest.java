package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.reactor.TaskFailedException;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ManualClock;
import dev.taskwatch.testkit.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;

/** Each recipe runs against the simulator and does what its Javadoc says. */
class RecipesTest {

    @Test
    void orchestrationStopsPollingEveryTaskAtTheFirstFailure() {
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            List<String> tasks = List.of("a", "b", "c", "d");
            for (String t : tasks) {
                sim.task("z1", t).running(Duration.ofHours(1));
            }
            sim.task("z1", "c").running(Duration.ofMillis(100)).fails("quota exceeded");

            Map<String, String> outcomes = OrchestrateInstallsRecipe.run(sim, "z1", tasks);

            assertThat(outcomes)
                    .containsEntry("a", "cancelled")
                    .containsEntry("b", "cancelled")
                    .containsEntry("d", "cancelled");
            assertThat(outcomes.get("c")).startsWith("failed:").contains("quota exceeded");
            // Stopped at the failure: the watches run on one schedule, so a cancelled task was polled at most as
            // often as the one whose failing answer ended them all (a poll in flight at that moment may still land).
            Map<String, Long> polls = sim.requests().stream()
                    .collect(Collectors.groupingBy(RecordedRequest::taskId, Collectors.counting()));
            assertThat(polls).containsOnlyKeys(tasks);
            assertThat(List.of(polls.get("a"), polls.get("b"), polls.get("d")))
                    .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(polls.get("c")));
        }
    }

    @Test
    void blockingCallerGetsTheCompletedTaskOrTheFailure() {
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task("z1", "ok").running(Duration.ofMillis(100)).completes("inst-ok");
            sim.task("z1", "bad").running(Duration.ofMillis(100)).fails("boom");

            assertThat(AwaitFromBlockingCodeRecipe.awaitInstall(sim, "z1", "ok").installId())
                    .isEqualTo("inst-ok");
            assertThatThrownBy(() -> AwaitFromBlockingCodeRecipe.awaitInstall(sim, "z1", "bad"))
                    .isInstanceOf(TaskFailedException.class)
                    .hasMessageContaining("boom");
        }
    }

    @Test
    void serverSentEventsStreamEachTransitionThenEnd() throws Exception {
        // The simulator's clock moves only when told: the task is running until the first poll has seen it, whatever
        // the machine's load (a 200 ms real-time phase could end before a slow first poll).
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        try (CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        .build()) {
            sim.task("z1", "t1").running(Duration.ofHours(1)).completes("inst-1");
            DisposableServer app = ServerSentEventsRecipe.start(
                    TaskWatcher.create(client, WatchOptions.defaults().initialDelay(Duration.ofMillis(20))));
            try {
                CompletableFuture<String> events = HttpClient.create()
                        .get()
                        .uri("http://127.0.0.1:" + app.port() + "/zones/z1/tasks/t1/events")
                        .responseContent()
                        .aggregate()
                        .asString()
                        .toFuture();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (sim.requests("z1", "t1").isEmpty()) {
                    assertThat(System.nanoTime()).as("first poll within 30 s").isLessThan(deadline);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                clock.advance(Duration.ofHours(1));
                String body = events.get(30, TimeUnit.SECONDS);
                assertThat(body)
                        .contains("event: running\ndata: {\"id\":\"t1\"")
                        .contains("event: completed\ndata: {\"id\":\"t1\"")
                        .endsWith("}\n\n");
                assertThat(body).contains("\"install_id\":\"inst-1\"");

                Integer status = HttpClient.create()
                        .get()
                        .uri("http://127.0.0.1:" + app.port() + "/zones/z1/tasks/..%2Fx/events")
                        .response()
                        .map(r -> r.status().code())
                        .block(Duration.ofSeconds(10));
                assertThat(status).isEqualTo(400);
            } finally {
                app.disposeNow();
            }
        }
    }
}
