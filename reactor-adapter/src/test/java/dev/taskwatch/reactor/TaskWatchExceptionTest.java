package dev.taskwatch.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Task;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The three public exceptions: evidence carried, transience, messages. */
class TaskWatchExceptionTest {

    @Test
    void transienceFollowsTheCause() {
        Task last = Tasks.task("running");
        var transientCause = new CatalogTransportException("reset", null, true);
        var tls = new CatalogTransportException("TLS handshake failed", null, false);

        WatchException retryable = new WatchException("ended", transientCause, last, 3);
        assertThat(retryable.isTransient()).isTrue();
        assertThat(retryable.lastTask()).isSameAs(last);
        assertThat(retryable.polls()).isEqualTo(3);
        assertThat(retryable).hasCause(transientCause);
        assertThat(new WatchException("ended", tls, last, 3).isTransient()).isFalse();
        assertThat(new WatchException("ended", new IllegalStateException(), null, 0).isTransient())
                .isFalse();
    }

    @Test
    void timeoutCarriesTimeoutElapsedAndIsTransient() {
        var e = new WatchTimeoutException(
                "timed out", Duration.ofMinutes(30), Duration.ofMinutes(30), Tasks.task("pending"), 190, null);
        assertThat(e.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(e.elapsed()).isEqualTo(Duration.ofMinutes(30));
        assertThat(e.lastTask()).isEqualTo(Tasks.task("pending"));
        assertThat(e.polls()).isEqualTo(190);
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void taskFailedMessageEscapesTheServersErrorMessage() {
        String hostile = "disk full\r\n[main] INFO all good \u001b[2J\u202egnp.exe\u200b\ud800";

        TaskFailedException e = new TaskFailedException(Tasks.failed(hostile, 0), 1);

        assertThat(e)
                .hasMessage("task task-1 failed: disk full\\u000d\\u000a[main] INFO all good \\u001b[2J"
                        + "\\u202egnp.exe\\u200b\\ud800 (0 warnings)");
        assertThat(e.lastTask().errorMessage())
                .as("the task keeps the server's text")
                .isEqualTo(hostile);
    }

    @Test
    void taskFailedMessageHasTheErrorMessageAndWarningCount() {
        assertThat(new TaskFailedException(Tasks.failed("image pull failed", 1), 4))
                .hasMessage("task task-1 failed: image pull failed (1 warning)")
                .satisfies(e -> assertThat(e.isTransient()).isFalse());
        assertThat(new TaskFailedException(Tasks.task("failed"), 4))
                .hasMessage("task task-1 failed: (no error message) (0 warnings)");
        TaskFailedException e = new TaskFailedException(Tasks.failed("x", 3), 7);
        assertThat(e.polls()).isEqualTo(7);
        assertThat(e.lastTask().errorMessage()).isEqualTo("x");
    }
}
