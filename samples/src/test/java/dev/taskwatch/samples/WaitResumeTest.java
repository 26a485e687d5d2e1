package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.reactor.ResumePoint;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ManualClock;
import dev.taskwatch.testkit.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code wait --deadline}, {@code --print-resume-token} and {@code --resume}, end to end against the simulator in
 * virtual time: the watches' virtual clock starts at the simulator's date and both move together, so an absolute
 * deadline is reached in well under a second and "now" is the same instant for the command and the simulator.
 */
class WaitResumeTest {

    /** Set in every run's environment; must never be printed. */
    private static final String SECRET = "sk-live-MARKER-never-print-4242";

    private static final Duration STEP = Duration.ofMillis(50);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualClock clock = ManualClock.at(START);
    private final CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start();

    @AfterEach
    void close() {
        sim.close();
    }

    /** Runs wait on z1 with polls every 0.5-1 s and no jitter, from the simulator's current instant. */
    private Cli.Run waitFor(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "wait",
                "--zone",
                "z1",
                "--base-url",
                sim.baseUrl().toString(),
                "--initial-delay",
                "500ms",
                "--max-delay",
                "1s",
                "--jitter",
                "0"));
        args.addAll(List.of(extra));
        Cli.Run run = Cli.runInVirtualTime(
                sim,
                clock,
                STEP,
                clock.instant(),
                Map.of("KEYCARD_API_API_KEY", SECRET),
                "",
                false,
                args.toArray(String[]::new));
        assertThat(run.all()).as("no secret in any output").doesNotContain(SECRET);
        return run;
    }

    /** The tokens printed on stderr, by task, in order. */
    private static Map<String, List<ResumePoint>> tokens(Cli.Run run) {
        Map<String, List<ResumePoint>> byTask = new LinkedHashMap<>();
        run.err().lines().filter(l -> l.startsWith("resume-token ")).forEach(l -> {
            String[] parts = l.split(" ");
            assertThat(parts).hasSize(3);
            ResumePoint point = ResumePoint.fromToken(parts[2]);
            assertThat(parts[1]).isEqualTo(point.zoneId() + "/" + point.taskId());
            byTask.computeIfAbsent(point.taskId(), k -> new ArrayList<>()).add(point);
        });
        return byTask;
    }

    private static String last(List<ResumePoint> points) {
        return points.get(points.size() - 1).toToken();
    }

    @Test
    void aFutureDeadlineEndsTheWaitAtThatInstantWithExitThree() throws Exception {
        sim.task("z1", "slow").running(Duration.ofHours(1));

        // Any offset: 01:00:20+01:00 is 00:00:20Z.
        Cli.Run run = waitFor("--task", "slow", "--deadline", "2026-01-01T01:00:20+01:00");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(run.err()).contains("timed out").contains("deadline 2026-01-01T00:00:20Z");
        // Polls at 0, 0.5, 1.125, ... then every 1 s until the deadline: never a burst, at most about 20 in 20 s.
        // (The harness moves virtual time on while a response is on its way, so on a loaded machine a gap can only
        // grow: the count has an upper bound, and the polling has to have gone on until near the deadline.)
        List<Instant> polls =
                sim.requests("z1", "slow").stream().map(RecordedRequest::time).toList();
        assertThat(polls).hasSizeBetween(2, 24);
        for (int i = 1; i < polls.size(); i++) {
            assertThat(Duration.between(polls.get(i - 1), polls.get(i))).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
        assertThat(polls.get(polls.size() - 1)).isAfter(START.plusSeconds(15));
        // Ended at the deadline on the watches' clock, with no poll after it.
        assertThat(run.err()).contains("timed out after PT20S");
        assertThat(polls).allMatch(t -> t.isBefore(START.plusSeconds(20)));
    }

    @Test
    void aPastDeadlineExitsThreeAtOnceWithoutARequest() throws Exception {
        sim.task("z1", "t1").running(Duration.ofHours(1));
        sim.task("z1", "t2").running(Duration.ofHours(1));

        Cli.Run run = waitFor("--task", "t1", "--task", "t2", "--deadline", "2025-12-31T23:59:59Z");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(run.err()).contains("deadline 2025-12-31T23:59:59Z");
        assertThat(sim.requestCount()).isZero();
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aPastDeadlineOnTheRealClockAlsoExitsThreeWithoutARequest() {
        // Real time on purpose (nothing waits): the library's default scheduler reads the deadline on the wall clock.
        sim.task("z1", "t1").running(Duration.ofHours(1));

        Cli.Run run = Cli.run(
                Map.of("KEYCARD_API_API_KEY", SECRET),
                "",
                false,
                "wait",
                "--zone",
                "z1",
                "--task",
                "t1",
                "--base-url",
                sim.baseUrl().toString(),
                "--deadline",
                Instant.now().minusSeconds(60).toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(sim.requestCount()).isZero();
        assertThat(run.all()).doesNotContain(SECRET);
    }

    @Test
    void deadlineAndTimeoutTogetherOrAMalformedDeadlineAreUsageErrors() throws Exception {
        Cli.Run both = waitFor("--task", "t1", "--deadline", "2026-01-01T00:00:20Z", "--timeout", "20s");
        Cli.Run noOffset = waitFor("--task", "t1", "--deadline", "2026-01-01T00:00:20");
        Cli.Run garbage = waitFor("--task", "t1", "--deadline", "tomorrow");

        assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("--deadline and --timeout are alternatives");
        assertThat(noOffset.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noOffset.err()).contains("not an RFC 3339 instant with an offset");
        assertThat(garbage.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void tokensArePrintedAtTheStartAndAtEachTransitionInTextMode() throws Exception {
        sim.task("z1", "ok")
                .pending(Duration.ofSeconds(2))
                .running(Duration.ofSeconds(3))
                .completes("inst-ok");

        Cli.Run run = waitFor("--task", "ok", "--timeout", "20s", "--print-resume-token");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.out()).doesNotContain("resume-token").contains("z1/ok  completed  install inst-ok");
        List<ResumePoint> points = tokens(run).get("ok");
        assertThat(points).extracting(ResumePoint::status).containsExactly(null, "pending", "running", "completed");
        // No --deadline: the tokens carry now + --timeout, so that a resumed run keeps it.
        assertThat(points).extracting(ResumePoint::deadline).containsOnly(START.plusSeconds(20));
    }

    @Test
    void tokensGoToStderrInJsonModeAndStdoutStaysTasksOnly() throws Exception {
        sim.task("z1", "ok")
                .pending(Duration.ofSeconds(2))
                .running(Duration.ofSeconds(3))
                .completes("inst-ok");
        sim.task("z1", "bad").running(Duration.ofSeconds(1)).fails("disk full");

        Cli.Run run = waitFor(
                "--task",
                "ok",
                "--task",
                "bad",
                "--deadline",
                "2026-01-01T00:01:00Z",
                "--print-resume-token",
                "--output",
                "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FAILED);
        // Every stdout line is a Task: jsonLines() decodes each.
        assertThat(run.jsonLines()).extracting(Task::status).hasSize(5);
        assertThat(run.out()).doesNotContain("resume-token");
        Map<String, List<ResumePoint>> tokens = tokens(run);
        assertThat(tokens.get("ok"))
                .extracting(ResumePoint::status)
                .containsExactly(null, "pending", "running", "completed");
        assertThat(tokens.get("bad")).extracting(ResumePoint::status).containsExactly(null, "running", "failed");
        assertThat(tokens.values().stream().flatMap(List::stream).map(ResumePoint::deadline))
                .containsOnly(Instant.parse("2026-01-01T00:01:00Z"));
    }

    @Test
    void aResumedRunSkipsWhatTheFirstRunShowedAndKeepsItsDeadline() throws Exception {
        sim.task("z1", "done")
                .pending(Duration.ofSeconds(2))
                .running(Duration.ofSeconds(8))
                .completes("inst-1");
        sim.task("z1", "slow").pending(Duration.ofSeconds(1)).running(Duration.ofHours(1));
        // The first run stops once both run (a job killed half-way would leave the same tokens behind).
        Cli.Run first = waitFor(
                "--task", "done", "--task", "slow", "--for", "running", "--timeout", "30s", "--print-resume-token");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.COMPLETED);
        Map<String, List<ResumePoint>> tokens = tokens(first);
        assertThat(tokens.get("done")).last().extracting(ResumePoint::status).isEqualTo("running");
        Instant deadline = START.plusSeconds(30);
        // The restart itself takes a while.
        clock.advance(Duration.ofSeconds(5));
        Instant restart = clock.instant();
        sim.clearRequests();

        Cli.Run second = waitFor(
                "--task",
                "done",
                "--task",
                "slow",
                "--output",
                "json",
                "--print-resume-token",
                "--resume",
                last(tokens.get("done")),
                "--resume",
                last(tokens.get("slow")));

        assertThat(second.exitCode()).as(second.err()).isEqualTo(ExitCode.TIMED_OUT);
        // Nothing the first run showed: only done's completion.
        assertThat(second.jsonLines())
                .extracting(Task::id, Task::status)
                .containsExactly(tuple("done", TaskStatus.COMPLETED));
        // The first poll of each goes out at once, and slow ends at the first run's deadline.
        // (The harness holds time only until the first request of the run arrives; the other task's may land a few
        // 50 ms steps later, still well before the 500 ms a first backoff delay would take.)
        assertThat(sim.requests("z1", "slow").get(0).time()).isBetween(restart, restart.plusMillis(400));
        assertThat(sim.requests("z1", "done").get(0).time()).isBetween(restart, restart.plusMillis(400));
        assertThat(sim.requests("z1", "slow").size()).isLessThan(30);
        assertThat(second.err()).contains("deadline " + deadline);
        assertThat(second.err()).contains("timed out after " + Duration.between(restart, deadline));
        assertThat(sim.requests("z1", "slow")).allMatch(r -> r.time().isBefore(deadline));
        Map<String, List<ResumePoint>> again = tokens(second);
        assertThat(again.get("done")).extracting(ResumePoint::status).containsExactly("running", "completed");
        assertThat(again.values().stream().flatMap(List::stream).map(ResumePoint::deadline))
                .containsOnly(deadline);
    }

    @Test
    void tokensThatDoNotFitTheRunAreUsageErrorsBeforeAnyRequest() throws Exception {
        String z1t1 = ResumePoint.start("z1", "t1", START.plusSeconds(60)).toToken();
        String z2t1 = ResumePoint.start("z2", "t1", START.plusSeconds(60)).toToken();
        String z1t9 = ResumePoint.start("z1", "t9", START.plusSeconds(60)).toToken();

        Cli.Run otherZone = waitFor("--task", "t1", "--resume", z2t1);
        Cli.Run otherTask = waitFor("--task", "t1", "--resume", z1t9);
        Cli.Run twice = waitFor("--task", "t1", "--resume", z1t1, "--resume", z1t1);
        Cli.Run withTimeout = waitFor("--task", "t1", "--resume", z1t1, "--timeout", "5m");
        Cli.Run withDeadline = waitFor("--task", "t1", "--resume", z1t1, "--deadline", "2026-01-01T00:00:20Z");

        assertThat(List.of(otherZone, otherTask, twice, withTimeout, withDeadline))
                .extracting(Cli.Run::exitCode)
                .containsOnly(ExitCode.USAGE);
        assertThat(otherZone.err()).contains("the token is for zone z2, not --zone z1");
        assertThat(otherTask.err()).contains("the token is for task t9, which is not one of the tasks");
        assertThat(twice.err()).contains("two tokens for task t1");
        assertThat(withTimeout.err()).contains("--resume keeps the deadline of its token");
        assertThat(withDeadline.err()).contains("--resume keeps the deadline of its token");
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void aGarbledTokenIsAUsageErrorThatQuotesOnlyItsStart() throws Exception {
        String good = ResumePoint.start("z1", "t1", START.plusSeconds(60)).toToken();
        String edited = good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA");
        String garbage = "\u001b[31mnot-a-token-" + "x".repeat(300);

        Cli.Run editedRun = waitFor("--task", "t1", "--resume", edited);
        Cli.Run garbageRun = waitFor("--task", "t1", "--resume", garbage);

        assertThat(editedRun.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(editedRun.err()).contains("--resume: invalid resume token").doesNotContain(edited);
        assertThat(garbageRun.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(garbageRun.err())
                .contains("--resume: invalid resume token")
                .doesNotContain("x".repeat(40))
                .doesNotContain("\u001b");
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void aTokenWhoseTaskAlreadyEndedTheWaitShowsThatStatusOnceMore() throws Exception {
        sim.task("z1", "done").completes("inst-1");
        String token = ResumePoint.start("z1", "done", START.plusSeconds(60))
                .after(Task.of("done", TaskStatus.COMPLETED, "inst-1"))
                .toToken();

        Cli.Run run = waitFor("--task", "done", "--resume", token);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.out()).contains("z1/done  completed  install inst-1");
        assertThat(sim.requests("z1", "done")).hasSize(1);
    }
}
