package dev.taskwatch.samples;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.reactor.TaskWatchException;
import dev.taskwatch.reactor.TaskWatchTimeoutException;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;

/**
 * {@code taskwatch wait}: waits for one task and exits 0 completed, 1 failed, 2 invalid usage or input, 3 timed out,
 * 4 API or protocol error. Transitions go to stdout (text or JSON lines), diagnostics to stderr. Credentials come only
 * from the environment and are never printed.
 */
@Command(
        name = "wait",
        mixinStandardHelpOptions = true,
        description = "Wait for a catalog task to complete or fail.",
        footer = {
            "",
            "Credentials come from the environment only: KEYCARD_API_API_KEY, or KEYCARD_API_CLIENT_ID and"
                    + " KEYCARD_API_CLIENT_SECRET.",
            "Exit codes: 0 completed, 1 failed, 2 invalid usage or input, 3 timed out, 4 API or protocol error."
        })
final class WaitCommand implements Callable<Integer> {

    enum Output {
        text,
        json
    }

    @Option(names = "--zone", required = true, description = "Zone id.")
    String zone;

    @Option(names = "--task", required = true, description = "Task id.")
    String task;

    @Option(
            names = "--base-url",
            description = "API base URL (default: KEYCARD_API_BASE_URL, else https://api.keycard.ai).")
    @Nullable
    URI baseUrl;

    @Option(
            names = "--timeout",
            defaultValue = "30m",
            converter = DurationConverter.class,
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--initial-delay",
            converter = DurationConverter.class,
            description = "First delay between polls (default: 1750ms).")
    @Nullable
    Duration initialDelay;

    @Option(names = "--max-delay", converter = DurationConverter.class, description = "Largest delay (default: 12s).")
    @Nullable
    Duration maxDelay;

    @Option(names = "--multiplier", description = "Backoff multiplier (default: 1.25).")
    @Nullable
    Double multiplier;

    @Option(names = "--jitter", description = "Random spread of each delay, 0 to <1 (default: 0.2).")
    @Nullable
    Double jitter;

    @Option(
            names = "--request-timeout",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Timeout of each request (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(
            names = "--not-found-grace",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long a 404 is waited out (default: ${DEFAULT-VALUE}).")
    Duration notFoundGrace;

    @Option(
            names = "--output",
            defaultValue = "text",
            description = "text (readable lines) or json (one Task object per transition per line).")
    Output output;

    private final Io io;
    private final ConsoleWriter console;

    WaitCommand(Io io, ConsoleWriter console) {
        this.io = io;
        this.console = console;
    }

    @Override
    public Integer call() {
        WatchOptions options = options();
        URI base = baseUrl != null
                ? baseUrl
                : URI.create(io.env().getOrDefault("KEYCARD_API_BASE_URL", "https://api.keycard.ai"));
        Credentials credentials = Credentials.fromEnvironment(io.env());
        Transitions printer =
                output == Output.json ? Transitions.json(console) : Transitions.text(console, io.terminal());
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(base)
                .credentials(credentials)
                .responseTimeout(requestTimeout)
                .build()) {
            // Each failed poll is a diagnostic; the watcher decides whether to retry it. This runs on an event loop:
            // the printer only hands the line to the console's writer thread.
            CatalogTasksClient reporting = (zoneId, taskId, requestId) -> client.exchange(zoneId, taskId, requestId)
                    .doOnError(e -> printer.diagnostic(TaskwatchCommand.diagnostic("poll failed: " + e.getMessage())));
            // Ids are checked here, before anything is printed.
            Flux<Task> watch = TaskWatcher.create(reporting, options).watch(zone, task);
            long started = System.nanoTime();
            AtomicReference<@Nullable Task> last = new AtomicReference<>();
            Thread onInterrupt = new Thread(
                    () -> interrupted(
                            printer,
                            console,
                            zone + "/" + task,
                            last.get(),
                            Duration.ofNanos(System.nanoTime() - started)),
                    "taskwatch-interrupt");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            printer.start(zone, task);
            try {
                // Iterating on this thread: what the printer does is never Reactor's threads' business.
                for (Task t : watch.toIterable(1)) {
                    printer.transition(t);
                    last.set(t);
                }
            } finally {
                printer.stop();
                removeShutdownHook(onInterrupt);
            }
            Task end = last.get();
            if (end != null && end.status() == TaskStatus.COMPLETED) {
                return ExitCode.COMPLETED;
            }
            if (end != null && end.status() == TaskStatus.FAILED) {
                console.errLine(TaskwatchCommand.diagnostic(
                        "task failed" + (end.errorMessage() == null ? "" : ": " + end.errorMessage())));
                return ExitCode.FAILED;
            }
            console.errLine(TaskwatchCommand.diagnostic("the watch ended without a terminal status"));
            return ExitCode.API_ERROR;
        } catch (TaskWatchTimeoutException e) {
            console.errLine(TaskwatchCommand.diagnostic(e.getMessage()));
            return ExitCode.TIMED_OUT;
        } catch (TaskWatchException e) {
            console.errLine(TaskwatchCommand.diagnostic(e.getMessage()));
            return e.getCause() instanceof IllegalArgumentException ? ExitCode.USAGE : ExitCode.API_ERROR;
        }
    }

    /**
     * What Ctrl-C leaves behind, run by the shutdown hook while {@code wait} is waiting: the live status line cleared
     * (on a terminal only), then one diagnostic on stderr saying where the wait stood, written out before the process
     * exits (with 130, as for any Ctrl-C). Nothing when the wait had already ended.
     */
    static void interrupted(
            Transitions printer, ConsoleWriter console, String label, @Nullable Task last, Duration elapsed) {
        if (printer.interrupt()) {
            console.errLine(
                    TaskwatchCommand.diagnostic("interrupted after " + elapsed.toSeconds() + "s waiting for " + label
                            + " (last status " + (last == null ? "unknown" : last.statusValue())
                            + "); the task itself goes on"));
        }
        console.close();
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C came as the wait ended: the hook runs, and finds the printer stopped.
        }
    }

    private WatchOptions options() {
        WatchOptions o = WatchOptions.defaults().timeout(timeout).notFoundGrace(notFoundGrace);
        // maxDelay first, so that a larger --initial-delay is checked against the new bound, not the default.
        if (maxDelay != null) {
            o = o.maxDelay(maxDelay);
        }
        if (initialDelay != null) {
            o = o.initialDelay(initialDelay);
        }
        if (multiplier != null) {
            o = o.multiplier(multiplier);
        }
        if (jitter != null) {
            o = o.jitter(jitter);
        }
        return o;
    }
}
