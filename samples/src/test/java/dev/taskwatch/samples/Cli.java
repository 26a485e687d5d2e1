package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Runs {@code taskwatch} in-process with captured streams, environment and standard input. */
final class Cli {

    private Cli() {}

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

        String all() {
            return out + err;
        }
    }

    static Run run(Map<String, String> env, String stdin, boolean terminal, String... args) {
        return run(env, stdin, terminal, null, args);
    }

    static Run run(
            Map<String, String> env,
            String stdin,
            boolean terminal,
            @Nullable VirtualTimeScheduler time,
            String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TaskwatchCommand.execute(
                args,
                new Io(
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env,
                        terminal),
                time);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs the command on another thread with its polls timed on a virtual-time scheduler, and moves that scheduler
     * (and the simulator's clock, if given) forward, from the first request on, in steps of {@code step} until the command ends. Requests are real
     * HTTP; between steps this thread pauses 1 ms so that a response usually lands before the next step, which can only
     * delay a poll by a step, never add one. The step is small against the delays the tests use.
     */
    static Run runInVirtualTime(
            CatalogSimulator sim,
            @Nullable ManualClock clock,
            Duration step,
            Map<String, String> env,
            String stdin,
            boolean terminal,
            String... args)
            throws Exception {
        return runInVirtualTime(sim, clock, step, null, env, stdin, terminal, args);
    }

    /**
     * As above, with the virtual clock first set to {@code startAt}: the watches read an absolute deadline (of
     * {@code --deadline}, {@code --resume}) as wall-clock time on that clock, so it must read the simulator's date.
     */
    static Run runInVirtualTime(
            CatalogSimulator sim,
            @Nullable ManualClock clock,
            Duration step,
            @Nullable Instant startAt,
            Map<String, String> env,
            String stdin,
            boolean terminal,
            String... args)
            throws Exception {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        if (startAt != null) {
            time.advanceTimeTo(startAt);
        }
        try {
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> run(env, stdin, terminal, time, args));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            // Time stands still until the first polls went out: starting the command takes real time.
            while (sim.requestCount() == 0 && !run.isDone()) {
                assertThat(System.nanoTime()).as("the first poll within 40 s").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            while (!run.isDone()) {
                assertThat(System.nanoTime()).as("the command ends within 40 s").isLessThan(deadline);
                time.advanceTimeBy(step);
                if (clock != null) {
                    clock.advance(step);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return run.get();
        } finally {
            time.dispose();
        }
    }
}
