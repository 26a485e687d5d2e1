package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogException;
import dev.taskwatch.core.CatalogProtocolException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-answer decision on its own, without threads, timers or HTTP: what each answer emits, records and waits for,
 * at the edges the watch-level tests cannot pin down (a clock that does not start at zero, the exact end of the grace,
 * the metric each failure is counted under, the words of the final error).
 */
class ProgressTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3_600 * SECOND;

    private final List<String> recorded = new ArrayList<>();
    private final WatchMetrics metrics = new WatchMetrics() {
        @Override
        public void retry(String reason) {
            recorded.add("retry " + reason);
        }

        @Override
        public void transition(TaskStatus status) {
            recorded.add("transition " + status);
        }
    };

    private final WatchOptions options =
            Tasks.ONE_TWO_TEN.notFoundGrace(Duration.ofSeconds(10)).maxConsecutiveErrors(2);

    private final Progress progress = new Progress(ZONE, TASK, options, metrics);

    @Test
    void pollsAreNumberedFromOne() {
        assertThat(progress.pollSent(5 * HOUR)).isEqualTo(1);
        assertThat(progress.pollSent(5 * HOUR + SECOND)).isEqualTo(2);
        assertThat(progress.polls()).isEqualTo(2);
    }

    @Test
    void graceCountsFromTheFirstPollNotFromTheClocksOrigin() {
        long start = 5 * HOUR; // a scheduler clock far from zero, as a real one is
        progress.pollSent(start);
        progress.pollSent(start + 9 * SECOND);

        Progress.Step step = progress.onFailure(notFound(), start + 9 * SECOND);

        assertThat(step.fatal()).isNull();
        assertThat(step.cause()).isInstanceOf(CatalogApiException.class);
        assertThat(recorded).containsExactly("retry 404");
        assertThat(progress.sinceFirstPoll(start + 9 * SECOND)).isEqualTo(9 * SECOND);
    }

    @Test
    void a404AtExactlyTheEndOfTheGraceEndsTheWatch() {
        progress.pollSent(HOUR);

        Progress.Step justBefore = progress.onFailure(notFound(), HOUR + 10 * SECOND - 1);
        Progress.Step atTheEnd = progress.onFailure(notFound(), HOUR + 10 * SECOND);

        assertThat(justBefore.fatal()).isNull();
        assertThat(atTheEnd.fatal()).isNotNull().hasCauseInstanceOf(CatalogApiException.class);
    }

    @Test
    void eachRetriedFailureIsCountedUnderItsReason() {
        progress.pollSent(0);
        progress.onFailure(api(503), 0);
        progress.onResponse(Tasks.response("running")); // resets the error budget
        progress.onFailure(new CatalogProtocolException("garbled", null, true), 0);
        progress.onFailure(new CatalogTransportException("reset", null, true), 0);
        progress.onResponse(Tasks.response("running"));
        progress.onFailure(new OtherTransient(), 0);

        assertThat(recorded)
                .containsExactly("retry 503", "transition RUNNING", "retry protocol", "retry transport", "retry other");
    }

    @Test
    void aRetryTellsHowManyFailuresInARowAnAnswerResets() {
        progress.pollSent(0);
        Progress.Step first = progress.onFailure(api(503), 0);
        Progress.Step second = progress.onFailure(api(503), 0);
        progress.onResponse(Tasks.response("running"));
        Progress.Step afterAnAnswer = progress.onFailure(api(502), 0);

        assertThat(first.retry()).isNotNull();
        assertThat(first.retry().attempt()).isEqualTo(1);
        assertThat(second.retry().attempt()).isEqualTo(2);
        assertThat(afterAnAnswer.retry().attempt()).isEqualTo(1);
        assertThat(afterAnAnswer.retry().error()).isInstanceOf(CatalogApiException.class);
        assertThat(afterAnAnswer.retry().zoneId()).isEqualTo(ZONE);
        assertThat(afterAnAnswer.retry().taskId()).isEqualTo(TASK);
    }

    @Test
    void aRepeatedStatusIsNotATransitionAndReplacesWhatLateSubscribersReceive() {
        progress.pollSent(0);
        Task first = Tasks.task("running");
        Task newer = new Task(
                first.id(),
                first.createdAt(),
                first.operationValue(),
                "running",
                first.updatedAt().plusSeconds(30),
                first.errorMessage(),
                first.installId(),
                first.links(),
                first.packageId(),
                first.packageSlug(),
                first.packageVersion(),
                first.warnings());

        Progress.Step emitted = progress.onResponse(new CatalogTasksClient.Response(first, null));
        Progress.Step repeated = progress.onResponse(new CatalogTasksClient.Response(newer, null));

        assertThat(emitted.emission()).isSameAs(first);
        assertThat(repeated.emission()).isNull();
        assertThat(progress.latest())
                .as("the freshest answer at the status last emitted")
                .isSameAs(newer);
        assertThat(recorded).containsExactly("transition RUNNING");
    }

    @Test
    void theFinalErrorNamesThePollsAndTheLastStatusEscaped() {
        progress.pollSent(0);
        progress.onResponse(Tasks.response("run\nning"));
        progress.pollSent(SECOND);

        Progress.Step end = progress.onFailure(api(400), SECOND);

        assertThat(end.fatal())
                .isNotNull()
                .hasMessageStartingWith(
                        "watch of task task-1 in zone zone-1 ended after 2 polls (last status run\\u000aning): ");
        assertThat(progress.fatal(api(400))).hasMessageContaining("ended after 2 polls");
    }

    @Test
    void oneIsOnePollNotOnePolls() {
        progress.pollSent(0);

        assertThat(progress.fatal(api(400)).getMessage())
                .startsWith("watch of task task-1 in zone zone-1 ended after 1 poll (last status unknown): ");
        assertThat(progress.closed().getMessage())
                .isEqualTo("watch of task task-1 in zone zone-1 ended after 1 poll (last status unknown): "
                        + "the watcher was closed");
    }

    @Test
    void theErrorBudgetCountsFailuresInARow() {
        progress.pollSent(0);

        assertThat(progress.onFailure(api(503), 0).fatal()).isNull();
        assertThat(progress.onFailure(api(503), 0).fatal()).isNull();
        assertThat(progress.onFailure(api(503), 0).fatal())
                .as("the third in a row, budget 2")
                .isNotNull();
    }

    private static CatalogApiException notFound() {
        return api(404);
    }

    private static CatalogApiException api(int status) {
        return new CatalogApiException(
                "GET /zones/zone-1/catalog_tasks/task-1", status, null, null, List.of(), null, null);
    }

    /** A transient failure of a kind the metrics do not name. */
    private static final class OtherTransient extends CatalogException {
        OtherTransient() {
            super("something else", null, true);
        }
    }

    @Test
    void aRedirectKeepsWhatTheFullReportBeforeItSaid() {
        Task t = Tasks.task("running");
        Task running = new Task(
                t.id(),
                t.createdAt(),
                t.operationValue(),
                "running",
                t.updatedAt(),
                "a note the redirect does not repeat",
                null,
                List.of(new Task.Link("#app-1", "adopted", java.util.Map.of(), java.util.Map.of(), null)),
                t.packageId(),
                t.packageSlug(),
                t.packageVersion(),
                List.of(new dev.taskwatch.core.Warning(null, List.of(), "kept app-1", null, null, null, null)));

        Task completed = Progress.mergedOver(Task.of(running.id(), TaskStatus.COMPLETED, "inst-99"), running);

        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(completed.installId()).isEqualTo("inst-99");
        assertThat(completed.createdAt()).isEqualTo(running.createdAt());
        assertThat(completed.updatedAt()).isEqualTo(running.updatedAt());
        assertThat(completed.operationValue()).isEqualTo("create");
        assertThat(completed.errorMessage()).isEqualTo("a note the redirect does not repeat");
        assertThat(completed.packageId()).isEqualTo(running.packageId());
        assertThat(completed.packageSlug()).isEqualTo(running.packageSlug());
        assertThat(completed.packageVersion()).isEqualTo(running.packageVersion());
        assertThat(completed.links()).isEqualTo(running.links());
        assertThat(completed.warnings()).isEqualTo(running.warnings());
    }
}
