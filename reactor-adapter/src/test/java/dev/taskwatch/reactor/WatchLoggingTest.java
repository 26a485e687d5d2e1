package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static dev.taskwatch.reactor.Tasks.apiError;
import static dev.taskwatch.reactor.Tasks.response;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.guard.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** DESIGN.md §4.13: one DEBUG line per poll and per retry, on the {@code TaskWatcher} logger. */
class WatchLoggingTest {

    /** The longest a test waits in real time for a signal: a regression fails it instead of hanging the build. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void logsEachPollAndRetryAtDebug() throws Exception {
        ScriptedClient client = new ScriptedClient(response("pending"), apiError(503), response("completed"));
        AtomicInteger n = new AtomicInteger();
        WatchOptions options = Tasks.ONE_TWO_TEN.clientRequestIds(() -> "req-" + n.incrementAndGet());

        String log = LogCapture.debugOutput(
                TaskWatcher.class,
                () -> StepVerifier.withVirtualTime(
                                () -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                        .thenAwait(Duration.ofSeconds(5))
                        .expectNextCount(2)
                        .expectComplete()
                        .verify(WAIT));

        assertThat(log)
                .contains("poll #1 of task task-1 in zone zone-1 (X-Client-Request-ID req-1)")
                .contains("poll #2 of task task-1 in zone zone-1 (X-Client-Request-ID req-2)")
                .contains("poll #3 of task task-1 in zone zone-1 (X-Client-Request-ID req-3)")
                .contains("poll #2 of task task-1 failed (1 of 10 tolerated in a row), will retry: GET /zones/zone-1")
                .contains("poll #3 of task task-1: now completed")
                .contains("ended: completed after 3 polls");
    }
}
