package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.CatalogDispatcher.completed;
import static dev.taskwatch.reactor.CatalogDispatcher.error;
import static dev.taskwatch.reactor.CatalogDispatcher.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.testing.BlockHoundCheck;
import java.net.URI;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** DESIGN.md §4.11: nothing on the watch path blocks a non-blocking thread (checked by BlockHound). */
class NonBlockingTest {

    @Test
    void blockHoundIsActive() {
        // Installed for the whole run by core's test guard; without it, the test below could not fail.
        BlockHoundCheck.assertActive();
    }

    @Test
    void aWatchOverHttpWithRetriesNeverBlocks() throws Exception {
        CatalogDispatcher dispatcher = new CatalogDispatcher()
                .script(
                        Tasks.TASK,
                        task("pending"),
                        error(503, "service_unavailable", "Retry-After", "0"),
                        task("running"),
                        error(404, "not_found"),
                        completed("inst-1"));
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(dispatcher);
            server.start();
            try (CatalogTasksClient client = CatalogTasksClient.builder()
                    .baseUrl(URI.create(server.url("/").toString()))
                    .credentials(Credentials.bearer("token"))
                    .build()) {
                WatchOptions options = WatchOptions.defaults()
                        .initialDelay(Duration.ofMillis(10))
                        .timeout(Duration.ofSeconds(30));
                // Subscribed from a parallel thread, so every step runs on non-blocking threads.
                Task last = TaskWatcher.create(client, options)
                        .awaitCompleted(Tasks.ZONE, Tasks.TASK)
                        .subscribeOn(Schedulers.parallel())
                        .block(Duration.ofSeconds(30));
                assertThat(last).isNotNull();
                assertThat(last.installId()).isEqualTo("inst-1");
            }
        }
    }
}
