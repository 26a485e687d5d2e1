package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.Fault;
import dev.taskwatch.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskwatch wait} end to end against the simulator: exit codes, output formats, secrets. */
class WaitCommandTest {

    private static final String SECRET = "sk-live-DO-NOT-PRINT-0123456789";
    private static final String CLIENT_SECRET = "cs-DO-NOT-PRINT-9876543210";

    private final CatalogSimulator sim = CatalogSimulator.start();

    @AfterEach
    void close() {
        sim.close();
    }

    /** The outcome of one run: exit code and what went to each stream. */
    record Run(int exitCode, String out, String err) {
        List<Task> jsonLines() {
            List<Task> tasks = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    tasks.add(Task.fromJson(line));
                }
            }
            return tasks;
        }
    }

    private Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TaskwatchCommand.execute(
                args,
                new Io(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env,
                        false));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run wait(Map<String, String> env, String task, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "wait",
                "--zone",
                "z1",
                "--task",
                task,
                "--base-url",
                sim.baseUrl().toString(),
                "--initial-delay",
                "20ms",
                "--max-delay",
                "50ms"));
        args.addAll(List.of(extra));
        return run(env, args.toArray(String[]::new));
    }

    /**
     * Runs {@code wait} on another thread against a simulator whose clock only moves when told: the task stays
     * pending until two polls saw it, then running until two more did, then completes. No timing luck involved.
     */
    private Run waitThroughEveryPhase(String... extra) throws Exception {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        try (CatalogSimulator stepped = CatalogSimulator.builder().clock(clock).start()) {
            stepped.task("z1", "t1")
                    .pending(Duration.ofHours(1))
                    .running(Duration.ofHours(1))
                    .completes("inst-1");
            List<String> args = new ArrayList<>(List.of(
                    "wait",
                    "--zone",
                    "z1",
                    "--task",
                    "t1",
                    "--base-url",
                    stepped.baseUrl().toString(),
                    "--initial-delay",
                    "10ms",
                    "--max-delay",
                    "20ms",
                    "--jitter",
                    "0"));
            args.addAll(List.of(extra));
            CompletableFuture<Run> run =
                    CompletableFuture.supplyAsync(() -> run(Map.of(), args.toArray(String[]::new)));
            awaitRequests(stepped, 2);
            clock.advance(Duration.ofHours(1));
            awaitRequests(stepped, 4);
            clock.advance(Duration.ofHours(1));
            return run.get(30, TimeUnit.SECONDS);
        }
    }

    /** Waits for a condition, not for time to pass: the simulator has seen {@code n} polls of z1/t1. */
    private static void awaitRequests(CatalogSimulator sim, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sim.requests("z1", "t1").size() < n) {
            assertThat(System.nanoTime()).as("%d polls within 30 s", n).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void completedTaskExitsZeroWithOneJsonLinePerTransition() throws Exception {
        Run run = waitThroughEveryPhase("--output", "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
        List<Task> lines = run.jsonLines();
        assertThat(lines)
                .extracting(Task::status)
                .containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.COMPLETED);
        assertThat(lines.get(2).installId()).isEqualTo("inst-1");
        assertThat(lines.get(2).createdAt()).as("fields seen before the 303").isNotNull();
        assertThat(run.out()).doesNotContain("taskwatch:");
    }

    @Test
    void jsonLinesUseTheApiFieldNames() {
        sim.task("z1", "t1").completes("inst-1");

        Run run = wait(Map.of(), "t1", "--output", "json");

        assertThat(run.out().trim())
                .startsWith("{\"id\":\"t1\"")
                .contains("\"status\":\"completed\"", "\"install_id\":\"inst-1\"");
    }

    @Test
    void failedTaskExitsOneWithTheErrorOnStderr() {
        sim.task("z1", "t1").running(Duration.ofMillis(50)).fails("disk full");

        Run run = wait(Map.of(), "t1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).contains("failed");
        assertThat(run.err()).contains("disk full");
    }

    @Test
    void invalidIdExitsTwoBeforeAnyRequest() {
        Run run = wait(Map.of(), "../x");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("taskId");
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void missingOptionOrBadDurationExitsTwo() {
        assertThat(run(Map.of(), "wait", "--zone", "z1").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(wait(Map.of(), "t1", "--timeout", "soon").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(wait(Map.of(), "t1", "--jitter", "3").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void halfConfiguredClientCredentialsExitTwo() {
        Run run = wait(Map.of("KEYCARD_API_CLIENT_ID", "id-only"), "t1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("KEYCARD_API_CLIENT_SECRET");
    }

    @Test
    void aTaskStillRunningAtTheDeadlineExitsThree() throws Exception {
        // Virtual time: a plain timeout (no server hint), 30 s of polls every 20-50 ms in well under a second.
        sim.task("z1", "t1").running(Duration.ofHours(1));

        Cli.Run run = Cli.runInVirtualTime(
                sim,
                null,
                Duration.ofMillis(100),
                Map.of(),
                "",
                false,
                "wait",
                "--zone",
                "z1",
                "--task",
                "t1",
                "--base-url",
                sim.baseUrl().toString(),
                "--timeout",
                "30s",
                "--initial-delay",
                "1s",
                "--max-delay",
                "2s",
                "--jitter",
                "0",
                "--output",
                "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(run.jsonLines()).extracting(Task::status).containsExactly(TaskStatus.RUNNING);
        assertThat(run.err()).contains("timed out after PT30S");
        assertThat(sim.requests("z1", "t1").size())
                // At 0, 1, 2.25, 3.8 s, then every 2 s up to 29.8 s: 17; a response that lands after the next
                // virtual-time step pushes the polls after it back by a step, so fewer, never more.
                .as("polls in 30 s")
                .isBetween(10, 17);
    }

    @Test
    void aProtocolErrorOnEveryAnswerExitsFourOnceTheErrorBudgetIsSpent() {
        sim.task("z1", "t1").running(Duration.ofHours(1)).randomFaults(1.0, 1L, Fault.malformedBody());

        Run run = wait(Map.of(), "t1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.API_ERROR);
        assertThat(run.err()).contains("invalid Task");
        assertThat(sim.requestCount()).isEqualTo(11); // the default budget: 10 errors in a row, then the 11th ends it
    }

    @Test
    void aTaskInvisiblePastTheNotFoundGraceExitsFour() throws Exception {
        // Virtual time: a 20 s grace waited out in well under a second.
        sim.task("z1", "t1").notFoundFor(1_000_000);

        Cli.Run run = Cli.runInVirtualTime(
                sim,
                null,
                Duration.ofMillis(100),
                Map.of(),
                "",
                false,
                "wait",
                "--zone",
                "z1",
                "--task",
                "t1",
                "--base-url",
                sim.baseUrl().toString(),
                "--not-found-grace",
                "20s",
                "--initial-delay",
                "1s",
                "--max-delay",
                "2s");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.API_ERROR);
        assertThat(run.err()).contains("404");
        assertThat(sim.requests("z1", "t1").size())
                .as("404s for the 20 s grace")
                .isBetween(6, 21);
    }

    @Test
    void theBaseUrlComesFromKeycardApiBaseUrlWhenTheFlagIsAbsent() {
        sim.task("z1", "t1").completes("inst-1");

        Run run = run(
                Map.of("KEYCARD_API_BASE_URL", sim.baseUrl().toString()),
                "wait",
                "--zone",
                "z1",
                "--task",
                "t1",
                "--initial-delay",
                "20ms",
                "--output",
                "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.jsonLines()).extracting(Task::installId).containsExactly("inst-1");
        assertThat(sim.requestCount()).isEqualTo(1);
    }

    @Test
    void retryAfterBeyondTheTimeoutExitsThreeAtOnce() {
        sim.task("z1", "t1")
                .running(Duration.ofHours(1))
                .fault(1, Fault.status(503).retryAfter(Duration.ofHours(1)));

        Run run = wait(Map.of(), "t1", "--timeout", "10s");

        assertThat(run.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(sim.requests("z1", "t1")).hasSize(1);
    }

    @Test
    void rejectedCredentialsExitFourWithoutPrintingThem() {
        try (CatalogSimulator guarded = CatalogSimulator.builder()
                .apiKey("the-right-key")
                .requireAuthorization(true)
                .start()) {
            guarded.task("z1", "t1").completes("inst-1");

            Run run = run(
                    Map.of("KEYCARD_API_API_KEY", SECRET),
                    "wait",
                    "--zone",
                    "z1",
                    "--task",
                    "t1",
                    "--base-url",
                    guarded.baseUrl().toString());

            assertThat(run.exitCode()).isEqualTo(ExitCode.API_ERROR);
            assertThat(run.err()).contains("401");
            assertThat(run.err())
                    .as("the failure that ends the watch is no retry")
                    .doesNotContain("poll failed");
            assertThat(run.out() + run.err()).doesNotContain(SECRET);
        }
    }

    @Test
    void stalledRequestIsCutByTheRequestTimeoutAndRetried() {
        sim.task("z1", "t1")
                .running(Duration.ofMillis(50))
                .fault(1, Fault.stall(Duration.ofSeconds(30)))
                .completes("inst-1");

        Run run = wait(Map.of(), "t1", "--request-timeout", "200ms", "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.err()).contains("poll failed");
        assertThat(run.jsonLines()).last().extracting(Task::installId).isEqualTo("inst-1");
    }

    @Test
    void clientCredentialsSurviveATokenExpiringMidWatch() {
        try (CatalogSimulator guarded = CatalogSimulator.builder()
                .client("ci-bot", CLIENT_SECRET)
                .requireAuthorization(true)
                .tokenLifetime(Duration.ofSeconds(1)) // the shortest expires_in can say; refreshed after 0.5 s
                .start()) {
            guarded.task("z1", "t1").running(Duration.ofMillis(1500)).completes("inst-1");

            Run run = run(
                    Map.of("KEYCARD_API_CLIENT_ID", "ci-bot", "KEYCARD_API_CLIENT_SECRET", CLIENT_SECRET),
                    "wait",
                    "--zone",
                    "z1",
                    "--task",
                    "t1",
                    "--base-url",
                    guarded.baseUrl().toString(),
                    "--initial-delay",
                    "50ms",
                    "--max-delay",
                    "100ms");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
            assertThat(guarded.tokensIssued()).isGreaterThanOrEqualTo(2);
            assertThat(run.out() + run.err()).doesNotContain(CLIENT_SECRET);
        }
    }

    @Test
    void textOutputAndDiagnosticsEscapeTheServersText() {
        String hostile = "disk full\r\n[main] INFO all good \u001b[2J\u001b]0;pwned\u0007\u202egnp.exe\u200b";
        sim.task("z1", "t1")
                .running(Duration.ofMillis(50))
                .warning("conflict", "kept \u001b[31mbilling-db\u2066")
                .fails(hostile);

        Run run = wait(Map.of(), "t1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out() + run.err()).doesNotContain("\u001b", "\u0007", "\r", "\u202e", "\u200b", "\u2066");
        assertThat(run.out())
                .contains("error: disk full\\u000d\\u000a[main] INFO all good \\u001b[2J\\u001b]0;pwned\\u0007"
                        + "\\u202egnp.exe\\u200b")
                .contains("warning: kept \\u001b[31mbilling-db\\u2066");
        assertThat(run.out().lines()).allMatch(l -> l.contains("z1/t1"));
        assertThat(run.err()).contains("taskwatch: task failed: disk full\\u000d\\u000a[main] INFO all good");
    }

    @Test
    void retryDiagnosticsAreWrittenByTheOutputThreadNeverOnAnEventLoop(@TempDir Path dir) throws Exception {
        sim.task("z1", "t1")
                .running(Duration.ofMillis(50))
                .fault(1, Fault.status(503))
                .fault(2, Fault.reset())
                .completes("inst-1");

        try (ThreadRecordingFile out = new ThreadRecordingFile(dir.resolve("out"));
                ThreadRecordingFile err = new ThreadRecordingFile(dir.resolve("err"))) {
            int code = TaskwatchCommand.execute(
                    new String[] {
                        "wait",
                        "--zone",
                        "z1",
                        "--task",
                        "t1",
                        "--base-url",
                        sim.baseUrl().toString(),
                        "--initial-delay",
                        "20ms",
                        "--max-delay",
                        "50ms",
                        "--output",
                        "json"
                    },
                    new Io(
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8),
                            Map.of(),
                            false));

            assertThat(code).as(err.text()).isEqualTo(ExitCode.COMPLETED);
            assertThat(err.text())
                    .contains("taskwatch: poll failed (1 in a row), next poll in ")
                    .contains("taskwatch: poll failed (2 in a row), next poll in ")
                    .contains("503");
            assertThat(out.writers).as("threads that wrote stdout").containsOnly("taskwatch-output");
            assertThat(err.writers).as("threads that wrote stderr").containsOnly("taskwatch-output");
        }
    }

    /**
     * A file that remembers which threads wrote to it. Over a real file, so that the test guard's BlockHound sees each
     * write as the blocking I/O it is (System.err itself is exempted by BlockHound, a ByteArrayOutputStream never
     * blocks).
     */
    private static final class ThreadRecordingFile extends OutputStream {
        final Set<String> writers = ConcurrentHashMap.newKeySet();
        private final Path path;
        private final FileOutputStream file;

        ThreadRecordingFile(Path path) throws IOException {
            this.path = path;
            this.file = new FileOutputStream(path.toFile());
        }

        @Override
        public void write(int b) throws IOException {
            writers.add(Thread.currentThread().getName());
            file.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writers.add(Thread.currentThread().getName());
            file.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }

        String text() throws IOException {
            return Files.readString(path, StandardCharsets.UTF_8);
        }
    }

    @Test
    void textOutputIsOneReadableLinePerTransitionWithoutControlCharactersInAPipe() throws Exception {
        Run run = waitThroughEveryPhase();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.out().lines()).hasSize(3).allMatch(l -> l.contains("z1/t1"));
        assertThat(run.out()).contains("install inst-1").doesNotContain("\r", "\033");
    }
}
