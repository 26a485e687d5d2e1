package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.testkit.CatalogSimulator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code taskwatch get}: one request, the task printed, and an exit code per status. */
class GetCommandTest {

    private static final String SECRET = "sk-live-MARKER-never-print-4242";

    private final CatalogSimulator sim = CatalogSimulator.start();

    @AfterEach
    void close() {
        sim.close();
    }

    private Cli.Run get(String task, String... extra) {
        String[] args = new String[6 + extra.length];
        System.arraycopy(
                new String[] {"get", "--zone", "z1", "--task", task, "--base-url=" + sim.baseUrl()}, 0, args, 0, 6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        Cli.Run run = Cli.run(Map.of("KEYCARD_API_API_KEY", SECRET), "", false, args);
        assertThat(run.all()).doesNotContain(SECRET);
        return run;
    }

    @Test
    void completedExitsZeroAndPrintsTheInstall() {
        sim.task("z1", "t1").completes("inst-1");

        Cli.Run text = get("t1");
        Cli.Run json = get("t1", "--output", "json");

        assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(text.out()).isEqualTo("z1/t1  completed  install inst-1" + System.lineSeparator());
        assertThat(json.exitCode()).isEqualTo(ExitCode.COMPLETED);
        assertThat(json.jsonLines()).extracting(Task::installId).containsExactly("inst-1");
        assertThat(sim.requests("z1", "t1")).as("one request each").hasSize(2);
    }

    @Test
    void failedExitsOneWithTheErrorMessage() {
        sim.task("z1", "t1").fails("disk full");

        Cli.Run run = get("t1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).contains("z1/t1  failed  error: disk full");
    }

    @Test
    void pendingOrRunningExitsFive() {
        sim.task("z1", "p").pending(Duration.ofHours(1));
        sim.task("z1", "r").running(Duration.ofHours(1));

        assertThat(get("p").exitCode()).isEqualTo(ExitCode.NOT_TERMINAL);
        Cli.Run running = get("r", "--output", "json");
        assertThat(running.exitCode()).isEqualTo(ExitCode.NOT_TERMINAL);
        assertThat(running.out()).contains("\"status\":\"running\"");
        assertThat(sim.requestCount()).isEqualTo(2);
    }

    @Test
    void notFoundOrRejectedExitsFour() {
        sim.task("z1", "t1").notFoundFor(5);

        Cli.Run run = get("t1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.API_ERROR);
        assertThat(run.err()).contains("404");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badInputExitsTwoWithoutARequest() {
        assertThat(get("../x").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run(Map.of(), "", false, "get", "--zone", "z1").exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(get("t1", "--output", "yaml").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void theBaseUrlFlagWinsOverKeycardApiBaseUrlAndABlankVariableCountsAsUnset() {
        sim.task("z1", "t1").completes("inst-1");

        Cli.Run flagged = Cli.run(
                Map.of("KEYCARD_API_BASE_URL", "not a url"),
                "",
                false,
                "get",
                "--zone",
                "z1",
                "--task",
                "t1",
                "--base-url",
                sim.baseUrl().toString());
        // A blank variable is the default URL, as in the library: the id is what is wrong here, not the URL.
        Cli.Run blank =
                Cli.run(Map.of("KEYCARD_API_BASE_URL", " "), "", false, "get", "--zone", "z1", "--task", "../x");
        Cli.Run unusable =
                Cli.run(Map.of("KEYCARD_API_BASE_URL", "not a url"), "", false, "get", "--zone", "z1", "--task", "t1");

        assertThat(flagged.exitCode()).as(flagged.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(blank.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(blank.err()).contains("taskId").doesNotContain("baseUrl", "KEYCARD_API_BASE_URL");
        assertThat(unusable.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unusable.err()).contains("KEYCARD_API_BASE_URL is not a valid URL");
        assertThat(sim.requestCount()).isEqualTo(1);
    }
}
