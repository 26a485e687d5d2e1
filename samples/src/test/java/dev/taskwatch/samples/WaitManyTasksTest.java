package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.guard.LogCapture;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.Fault;
import dev.taskwatch.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskwatch wait} with several tasks, end to end against the simulator, in virtual time: the watches time their
 * polls on a virtual-time scheduler and the simulator's clock moves with it, so a 20 s timeout takes well under a
 * second and the phases of every task are where the script says.
 */
class WaitManyTasksTest {

    /** Set in every run's environment; must never be printed. */
    private static final String SECRET = "sk-live-MARKER-never-print-4242";

    private static final Duration STEP = Duration.ofMillis(50);

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start();

    @AfterEach
    void close() {
        sim.close();
    }

    /** ok completes at 5 s, bad fails at 4 s, slow runs for an hour: past the 20 s timeout. */
    private void scriptMixed() {
        sim.task("z1", "ok")
                .pending(Duration.ofSeconds(2))
                .running(Duration.ofSeconds(3))
                .completes("inst-ok");
        sim.task("z1", "bad").running(Duration.ofSeconds(4)).fails("disk full");
        sim.task("z1", "slow").running(Duration.ofHours(1));
    }

    private Cli.Run waitFor(Map<String, String> env, boolean terminal, String... extra) throws Exception {
        return waitFor(env, "", terminal, extra);
    }

    /** Runs wait with polls every 0.5-1 s, no jitter and a 20 s timeout, unless {@code extra} says otherwise. */
    private Cli.Run waitFor(Map<String, String> env, String stdin, boolean terminal, String... extra) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("wait", "--zone", "z1", "--base-url", sim.baseUrl().toString()));
        Map<String, String> defaults = new java.util.LinkedHashMap<>(
                Map.of("--initial-delay", "500ms", "--max-delay", "1s", "--jitter", "0", "--timeout", "20s"));
        List.of(extra).forEach(defaults::remove);
        defaults.forEach((k, v) -> args.addAll(List.of(k, v)));
        args.addAll(List.of(extra));
        Map<String, String> withSecret = new HashMap<>(env);
        withSecret.put("KEYCARD_API_API_KEY", SECRET);
        Cli.Run run = Cli.runInVirtualTime(sim, clock, STEP, withSecret, stdin, terminal, args.toArray(String[]::new));
        assertThat(run.all()).as("no secret in any output").doesNotContain(SECRET);
        return run;
    }

    private Cli.Run waitFor(String... extra) throws Exception {
        return waitFor(Map.of(), false, extra);
    }

    private static Map<String, List<TaskStatus>> statusesByTask(Cli.Run run) {
        return run.jsonLines().stream()
                .collect(Collectors.groupingBy(Task::id, Collectors.mapping(Task::status, Collectors.toList())));
    }

    @Test
    void mixedOutcomesInJsonAreOneTaskPerLineAndTheFailureWinsOverTheTimeout() throws Exception {
        scriptMixed();

        Cli.Run run = waitFor("--task", "ok", "--task", "bad", "--task", "slow", "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FAILED); // 1 > 3 > 0
        assertThat(statusesByTask(run))
                .containsEntry("ok", List.of(TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.COMPLETED))
                .containsEntry("bad", List.of(TaskStatus.RUNNING, TaskStatus.FAILED))
                .containsEntry("slow", List.of(TaskStatus.RUNNING));
        assertThat(run.err())
                .contains("taskwatch: task z1/bad failed: disk full")
                .contains("timed out");
        assertThat(run.err()).as("no summary in json mode").doesNotContain("OUTCOME");
    }

    @Test
    void mixedOutcomesInTextArePlainLinesThenASummaryOnStderr() throws Exception {
        scriptMixed();

        Cli.Run run = waitFor("--task", "ok", "--task", "bad", "--task", "slow");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out().lines()).hasSize(6).allMatch(l -> l.matches("\\S+  z1/(ok|bad|slow)  .*"));
        assertThat(run.out()).contains("z1/ok  completed  install inst-ok").doesNotContain("\033", "\r");
        assertThat(run.err())
                .contains("taskwatch: 3 tasks: 1 met, 1 failed, 1 timed out")
                .containsPattern("  TASK +OUTCOME +INSTALL +POLLS +ELAPSED")
                .containsPattern("  ok +completed +inst-ok +\\d+ +\\d+\\.\\ds")
                .containsPattern("  bad +failed +- +\\d+")
                .containsPattern("  slow +timed out +- +\\d+ +2\\d\\.\\ds");
    }

    @Test
    void failFastEndsAtTheFirstFailureAndStopsTheOtherWatches() throws Exception {
        sim.task("z1", "ok").running(Duration.ofSeconds(10)).completes("inst-ok");
        sim.task("z1", "bad").running(Duration.ofSeconds(2)).fails("disk full");
        sim.task("z1", "slow").running(Duration.ofHours(1));

        Cli.Run run = waitFor("--task", "ok", "--task", "bad", "--task", "slow", "--fail-fast");
        long requestsAtExit = sim.requestCount();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).contains("z1/bad  failed").doesNotContain("completed");
        assertThat(run.err())
                .contains("taskwatch: task z1/bad failed: disk full")
                .contains("1 failed, 2 cancelled")
                .doesNotContain("timed out");
        // Well under the 10 s that ok runs for: the others were cancelled, not waited out.
        assertThat(sim.requests("z1", "ok").size()).isLessThan(8);
        clock.advance(Duration.ofMinutes(1));
        assertThat(sim.requestCount()).as("nothing polls after the exit").isEqualTo(requestsAtExit);
    }

    @Test
    void withoutFailFastEveryWatchRunsToItsEnd() throws Exception {
        sim.task("z1", "ok").running(Duration.ofSeconds(10)).completes("inst-ok");
        sim.task("z1", "bad").running(Duration.ofSeconds(2)).fails("disk full");

        Cli.Run run = waitFor("--task", "ok", "--task", "bad", "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FAILED);
        assertThat(statusesByTask(run)).containsEntry("ok", List.of(TaskStatus.RUNNING, TaskStatus.COMPLETED));
    }

    @Test
    void anApiErrorWinsOverAFailure() throws Exception {
        sim.task("z1", "bad").running(Duration.ofSeconds(1)).fails("disk full");
        sim.task("z1", "ghost").notFoundFor(1_000_000);

        Cli.Run run = waitFor("--task", "bad", "--task", "ghost", "--not-found-grace", "5s");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.API_ERROR); // 4 > 1
        assertThat(run.err()).contains("404");
    }

    @Test
    void theNotFoundGraceFlagDecidesBetweenAnErrorAndATimeout() throws Exception {
        sim.task("z1", "ghost").notFoundFor(1_000_000);

        Cli.Run shortGrace = waitFor("--task", "ghost", "--not-found-grace", "5s");
        int pollsWithShortGrace = sim.requests("z1", "ghost").size();
        Cli.Run defaultGrace = waitFor("--task", "ghost");

        assertThat(shortGrace.exitCode()).as(shortGrace.err()).isEqualTo(ExitCode.API_ERROR);
        // 404s every 0.5-1 s for 5 s, not for the 20 s timeout.
        assertThat(pollsWithShortGrace).isBetween(5, 12);
        assertThat(defaultGrace.exitCode())
                .as("the default 30 s grace outlasts the 20 s timeout: " + defaultGrace.err())
                .isEqualTo(ExitCode.TIMED_OUT);
    }

    @Test
    void theMultiplierFlagSpacesThePolls() throws Exception {
        sim.task("z1", "slow").running(Duration.ofHours(1));
        String[] base = {"--task", "slow", "--initial-delay", "1s", "--max-delay", "1h", "--timeout", "60s"};

        waitFor(concat(base, "--multiplier", "4"));
        int fast = sim.requests("z1", "slow").size();
        sim.clearRequests();
        waitFor(concat(base, "--multiplier", "1"));
        int flat = sim.requests("z1", "slow").size();

        // x4: polls at 0, 1, 5, 21 s (the next would be at 85 s). The default x1.25 would poll 13 times in 60 s, x1
        // about 60 times (a late response can only push a poll back by a step).
        assertThat(fast).isEqualTo(4);
        assertThat(flat).isGreaterThan(30);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void forRunningEndsOnceEveryTaskRuns() throws Exception {
        sim.task("z1", "a").pending(Duration.ofSeconds(2)).running(Duration.ofHours(1));
        sim.task("z1", "b").completes("inst-b");

        Cli.Run run = waitFor("--task", "a", "--task", "b", "--for", "running", "--output", "json");
        long requestsAtExit = sim.requestCount();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(statusesByTask(run))
                .containsEntry("a", List.of(TaskStatus.PENDING, TaskStatus.RUNNING))
                .containsEntry("b", List.of(TaskStatus.COMPLETED));
        clock.advance(Duration.ofMinutes(1));
        assertThat(sim.requestCount()).isEqualTo(requestsAtExit);
    }

    @Test
    void forRunningWithAFailedTaskExitsOne() throws Exception {
        sim.task("z1", "a").fails("no capacity");

        assertThat(waitFor("--task", "a", "--for", "running").exitCode()).isEqualTo(ExitCode.FAILED);
    }

    @Test
    void forTerminalWaitsForBothEndsAndExitsOneIfATaskFailed() throws Exception {
        sim.task("z1", "ok").running(Duration.ofSeconds(3)).completes("inst-ok");
        sim.task("z1", "bad").running(Duration.ofSeconds(1)).fails("disk full");

        Cli.Run mixed = waitFor("--task", "ok", "--task", "bad", "--for", "terminal", "--output", "json");
        Cli.Run onlyOk = waitFor("--task", "ok", "--for", "terminal");

        assertThat(mixed.exitCode()).as(mixed.err()).isEqualTo(ExitCode.FAILED);
        assertThat(statusesByTask(mixed))
                .containsEntry("ok", List.of(TaskStatus.RUNNING, TaskStatus.COMPLETED))
                .containsEntry("bad", List.of(TaskStatus.RUNNING, TaskStatus.FAILED));
        assertThat(onlyOk.exitCode()).as(onlyOk.err()).isEqualTo(ExitCode.COMPLETED);
    }

    @Test
    void forCompletedIsTheDefault() throws Exception {
        sim.task("z1", "a").pending(Duration.ofSeconds(1)).running(Duration.ofHours(1));

        Cli.Run run = waitFor("--task", "a", "--output", "json");

        assertThat(run.exitCode()).as("running is not enough").isEqualTo(ExitCode.TIMED_OUT);
    }

    @Test
    void anUnknownConditionIsAUsageError() {
        Cli.Run run = Cli.run(Map.of(), "", false, "wait", "--zone", "z1", "--task", "a", "--for", "done");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--for").contains("completed, terminal, running");
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void tasksFromStdinAreWatchedLikeTaskFlags() throws Exception {
        sim.task("z1", "ok").completes("inst-ok");
        sim.task("z1", "also-ok").running(Duration.ofSeconds(1)).completes("inst-2");
        String stdin = "# tasks of the release\nok\n\n  also-ok   # the second\nok\n";

        Cli.Run run = waitFor(Map.of(), stdin, false, "--tasks-from", "-", "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(statusesByTask(run))
                .containsOnlyKeys("ok", "also-ok")
                .containsEntry("ok", List.of(TaskStatus.COMPLETED))
                .containsEntry("also-ok", List.of(TaskStatus.RUNNING, TaskStatus.COMPLETED));
    }

    @Test
    void noTaskOrAnUnreadableTaskFileIsAUsageError(@TempDir Path dir) {
        Cli.Run none = Cli.run(Map.of(), "", false, "wait", "--zone", "z1");
        Cli.Run missing = Cli.run(
                Map.of(),
                "",
                false,
                "wait",
                "--zone",
                "z1",
                "--tasks-from",
                dir.resolve("nope").toString());
        Cli.Run badId = Cli.run(Map.of(), "ok\n../x\n", false, "wait", "--zone", "z1", "--tasks-from", "-");

        assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).contains("no task to wait for");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("cannot read --tasks-from");
        assertThat(badId.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badId.err()).contains("taskId");
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void inGitHubActionsFailuresAndTimeoutsBecomeEscapedAnnotationsAndAStepSummary(@TempDir Path dir) throws Exception {
        sim.task("z1", "ok").completes("inst-ok");
        sim.task("z1", "bad").running(Duration.ofSeconds(1)).fails("100% broken\r\n::warning::forged, title=x");
        sim.task("z1", "slow").running(Duration.ofHours(1));
        Path summary = dir.resolve("summary.md");
        Files.writeString(summary, "earlier step\n");

        Cli.Run run = waitFor(
                Map.of("GITHUB_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString()),
                false,
                "--task",
                "ok",
                "--task",
                "bad",
                "--task",
                "slow",
                "--output",
                "json");

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        List<String> annotations =
                run.err().lines().filter(l -> l.startsWith("::")).toList();
        assertThat(annotations)
                .containsExactly(
                        "::error title=taskwatch%3A z1/bad failed::100%25 broken\\u000d\\u000a::warning::forged,"
                                + " title=x",
                        annotations.get(1));
        assertThat(annotations.get(1))
                .startsWith("::error title=taskwatch%3A z1/slow timed out::")
                .contains("slow");
        assertThat(run.out()).as("json stdout stays tasks only").doesNotContain("::error");
        assertThat(run.jsonLines()).hasSize(4);
        String md = Files.readString(summary, StandardCharsets.UTF_8);
        assertThat(md)
                .startsWith("earlier step\n")
                .contains("| Task | Outcome | Install id | Polls | Elapsed |")
                .containsPattern("\\| ok \\| completed \\| inst-ok \\| 1 \\| \\d+\\.\\ds \\|")
                .containsPattern("\\| bad \\| failed \\|  \\| \\d+ \\|")
                .containsPattern("\\| slow \\| timed out \\|  \\| \\d+ \\| 2\\d\\.\\ds \\|")
                .doesNotContain(SECRET);
    }

    @Test
    void outsideGitHubActionsNoAnnotationIsPrinted() throws Exception {
        sim.task("z1", "bad").fails("disk full");

        Cli.Run run = waitFor(Map.of("GITHUB_STEP_SUMMARY", "/nonexistent/x"), false, "--task", "bad");

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(run.err()).doesNotContain("::error");
    }

    @Test
    void onATerminalALiveTableIsRedrawnInPlaceAndCleared() throws Exception {
        scriptMixed();

        Cli.Run run = waitFor(Map.of(), true, "--task", "ok", "--task", "bad", "--task", "slow");

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        String screen = run.out();
        assertThat(screen)
                .as("three rows, erased from the last up before each redraw")
                .contains("\r\033[K\033[A\r\033[K\033[A\r\033[K")
                .containsPattern("z1/ok +\033\\[\\d+m\\S+ *\033\\[0m +polls +\\d+")
                .contains("z1/slow")
                .contains("\033[32mcompleted\033[0m", "\033[31mfailed\033[0m")
                .endsWith("\r\033[K\033[A\r\033[K\033[A\r\033[K");
    }

    @Test
    void noColourWhenNoColorIsSetAndNoControlCharacterOffATerminal() throws Exception {
        scriptMixed();

        Cli.Run noColor = waitFor(Map.of("NO_COLOR", "1"), true, "--task", "ok", "--task", "bad");
        Cli.Run pipe = waitFor(Map.of(), false, "--task", "ok", "--task", "bad");

        assertThat(noColor.out()).contains("\r\033[K").doesNotContain("\033[3", "\033[0m");
        assertThat(pipe.out() + pipe.err()).doesNotContain("\033", "\r");
    }

    @Test
    void theNotFoundAndStaleReadLogLinesShowAtDebug() throws Exception {
        sim.task("z1", "t1")
                .notFoundFor(2)
                .pending(Duration.ofMillis(1200))
                .running(Duration.ofHours(1))
                .fault(5, Fault.staleStatus());
        AtomicReference<Cli.Run> run = new AtomicReference<>();

        String log = LogCapture.debugOutput(TaskWatcher.class, () -> {
            try {
                run.set(waitFor("--task", "t1", "--initial-delay", "500ms", "--max-delay", "500ms", "--timeout", "5s"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        assertThat(run.get().exitCode()).as(run.get().err()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(log)
                .contains("poll #1 of task t1: not found yet, within the grace")
                .contains("poll #2 of task t1: not found yet, within the grace")
                .containsPattern("poll #5 of task t1: stale pending after running, dropped")
                .doesNotContain(SECRET);
    }
}
