package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The escaping GitHub's workflow commands require, and when {@code wait} speaks to GitHub at all. */
class GitHubActionsTest {

    @Test
    void dataEscapesPercentCarriageReturnAndLineFeed() {
        assertThat(GitHubActions.data("100%\r\nnext::x, y: z")).isEqualTo("100%25%0D%0Anext::x, y: z");
    }

    @Test
    void propertiesAlsoEscapeColonAndComma() {
        assertThat(GitHubActions.property("a%b\r\nc:d,e")).isEqualTo("a%25b%0D%0Ac%3Ad%2Ce");
    }

    @Test
    void serverTextIsMadeSafeBeforeItIsEscapedForGitHub() {
        TaskResult failed = new TaskResult(
                "t1",
                Outcome.FAILED,
                Task.of("t1", TaskStatus.FAILED, null),
                3,
                Duration.ofSeconds(2),
                "50% done\r\n::error::forged\u001b[2J");

        assertThat(GitHubActions.annotation("z1/t1", failed))
                .isEqualTo("::error title=taskwatch%3A z1/t1 failed::50%25 done\\u000d\\u000a::error::forged"
                        + "\\u001b[2J");
    }

    @Test
    void metAndCancelledTasksGetNoAnnotation() {
        TaskResult met = new TaskResult("t1", Outcome.MET, null, 1, Duration.ZERO, null);
        TaskResult cancelled = new TaskResult("t2", Outcome.CANCELLED, null, 1, Duration.ZERO, "stopped");

        assertThat(GitHubActions.annotation("z1/t1", met)).isNull();
        assertThat(GitHubActions.annotation("z1/t2", cancelled)).isNull();
    }

    @Test
    void onlyGitHubActionsTrueTurnsItOn() {
        assertThat(GitHubActions.from(Map.of())).isNull();
        assertThat(GitHubActions.from(Map.of("GITHUB_ACTIONS", "1"))).isNull();
        assertThat(GitHubActions.from(Map.of("GITHUB_ACTIONS", "true"))).isNotNull();
    }

    @Test
    void summaryCellsCannotBreakTheTable() {
        Task task = Task.of("t1", TaskStatus.COMPLETED, "inst|1`<b>");
        String table = GitHubActions.summaryTable(
                "z1", List.of(new TaskResult("t1", Outcome.MET, task, 2, Duration.ofMillis(1500), null)));

        assertThat(table).contains("| t1 | completed | inst\\|1\\`\\<b\\> | 2 | 1.5s |");
    }
}
