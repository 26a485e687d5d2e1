package dev.taskwatch.samples;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.internal.SafeText;
import dev.taskwatch.reactor.ResumePoint;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.reactor.WatchTimeoutException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code taskwatch wait}: waits for one or more tasks of a zone, all at once through one watcher and one client, under
 * one overall timeout. TransitionPrinter go to stdout (text or JSON lines), diagnostics to stderr. Exit codes: 0 every task
 * met the condition, 1 a task failed, 2 invalid usage or input, 3 timed out, 4 API or protocol error; with several,
 * 2 &gt; 4 &gt; 1 &gt; 3 &gt; 0. Credentials come only from the environment and are never printed.
 */
@Command(
        name = "wait",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Wait for one or more catalog tasks of a zone: all are watched at once, under one overall timeout.",
            "TransitionPrinter go to stdout (readable lines, or one JSON Task per line); diagnostics go to stderr."
        },
        footer = {
            "",
            "Conditions (--for): completed (default) every task completed; terminal every task ended, completed or"
                    + " failed; running every task started running or completed.",
            "",
            "Exit codes:",
            "  0  every task met the condition",
            "  1  a task failed (with --fail-fast, the first failure ends the wait)",
            "  2  invalid usage or input",
            "  3  the timeout passed first (--timeout, --deadline or the --resume token's)",
            "  4  an API or protocol error ended a watch (e.g. 401, or 404 past the grace)",
            "  When several apply, the first of 2, 4, 1, 3 wins.",
            "",
            "Credentials come from the environment only: KEYCARD_API_API_KEY, or KEYCARD_API_CLIENT_ID and"
                    + " KEYCARD_API_CLIENT_SECRET. They are never printed.",
            "Output: on a terminal, a live table (one row per task), coloured unless NO_COLOR is set; otherwise"
                    + " plain lines. With several tasks, text mode ends with a summary on stderr.",
            "In GitHub Actions (GITHUB_ACTIONS=true): an ::error annotation per failed or timed-out task, and a"
                    + " summary table appended to GITHUB_STEP_SUMMARY.",
            "",
            "Restarted jobs: run with --print-resume-token (and --timeout or --deadline), keep each task's last"
                    + " 'resume-token' line, and re-run with --resume TOKEN per task: statuses already seen are not"
                    + " printed again and the original deadline holds. A token whose task had already ended the wait"
                    + " shows that last status once more. Tokens hold ids, a status and a deadline; no secret."
        })
final class WaitCommand implements Callable<Integer> {

    enum Output {
        text,
        json
    }

    /** Cap on ids from --tasks-from, against a wrong file (a log, a binary) being read as ids. */
    private static final int MAX_TASKS = 10_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--zone", required = true, description = "Zone id.")
    String zone;

    @Option(
            names = "--task",
            paramLabel = "ID",
            description = "Task id; repeat for several tasks (duplicates are watched once).")
    List<String> tasks = new ArrayList<>();

    @Option(
            names = "--tasks-from",
            paramLabel = "FILE",
            description = "Read task ids from FILE, one per line (- for stdin); blank lines and # comments ignored.")
    @Nullable
    String tasksFrom;

    @Option(
            names = "--for",
            defaultValue = "completed",
            paramLabel = "CONDITION",
            description = "completed, terminal or running (default: ${DEFAULT-VALUE}).")
    WaitFor condition;

    @Option(
            names = "--fail-fast",
            description = "End the wait at the first failed task (exit 1) and stop watching the others.")
    boolean failFast;

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(
            names = "--timeout",
            defaultValue = "30m",
            converter = DurationConverter.class,
            description = "Give up after this long, counted once for all tasks (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--deadline",
            paramLabel = "INSTANT",
            converter = InstantConverter.class,
            description = "Give up at this instant instead (RFC 3339 with an offset, e.g. 2026-12-01T10:00:00Z), so"
                    + " that a re-run job keeps one deadline; not with --timeout. Already past: exit 3 at once.")
    @Nullable
    Instant deadline;

    @Option(
            names = "--resume",
            paramLabel = "TOKEN",
            description = "Pick a task's wait up where a --print-resume-token run left it: its later transitions"
                    + " only, the same deadline. One token per task (repeat); its zone and task must be --zone and"
                    + " one of the tasks; not with --timeout or --deadline.")
    List<String> resume = new ArrayList<>();

    @Option(
            names = "--print-resume-token",
            description = "Print each task's resume token to stderr at the start and at each transition, as"
                    + " 'resume-token ZONE/TASK TOKEN' (also in json mode; stdout is unchanged).")
    boolean printResumeToken;

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
    private final @Nullable Scheduler timer;

    /**
     * @param timer the scheduler the watches time on, or null for the library's default; tests pass a virtual-time
     *     one
     */
    WaitCommand(Io io, ConsoleWriter console, @Nullable Scheduler timer) {
        this.io = io;
        this.console = console;
        this.timer = timer;
    }

    /** One signal of one task's watch: a transition, or the end of the watch (normal, or with an error). */
    private record Event(
            String taskId, @Nullable Task task, @Nullable Throwable error) {
        boolean failed() {
            return task != null && task.status() == TaskStatus.FAILED;
        }
    }

    @Override
    public Integer call() {
        List<String> ids = taskIds();
        Map<String, AtomicInteger> polls = new LinkedHashMap<>();
        ids.forEach(id -> polls.put(id, new AtomicInteger()));
        TransitionPrinter printer = output == Output.json
                ? TransitionPrinter.json(console)
                : TransitionPrinter.text(
                        console, io.terminal(), io.colour(), id -> polls.get(id).get());
        WatchOptions options = options(printer);
        Map<String, ResumePoint> points = startPoints(ids, options.scheduler());
        try (CatalogTasksClient client = api.client(io.env())) {
            // Counts each task's polls, for the live table and the summary: the watcher keeps no count once a watch
            // has ended.
            CatalogTasksClient counting = (zoneId, taskId, requestId) -> {
                AtomicInteger n = polls.get(taskId);
                if (n != null) {
                    n.incrementAndGet();
                }
                return client.exchange(zoneId, taskId, requestId);
            };
            TaskWatcher watcher = TaskWatcher.create(counting, options);
            // Ids are checked here, before anything is printed or sent.
            List<Flux<Event>> watches = new ArrayList<>(ids.size());
            for (String id : ids) {
                watches.add(watchOne(watcher, points.get(id)));
            }
            return await(ids, watches, printer, polls, options.scheduler(), points);
        }
    }

    /**
     * The watch of one task, as events: its transitions after {@code from} until the condition or a terminal status
     * ends it, then one end event. A point whose status already ended the wait (the job was restarted after it) is
     * watched from its start instead, same deadline, so that the final status is shown once more with its details
     * (install id, error) and decides the outcome.
     */
    private Flux<Event> watchOne(TaskWatcher watcher, ResumePoint from) {
        String id = from.taskId();
        String seen = from.status();
        ResumePoint point = seen != null && condition.ends(Task.of(id, TaskStatus.fromWire(seen), null))
                ? ResumePoint.start(from.zoneId(), id, from.deadline())
                : from;
        return watcher.watch(point)
                .takeUntil(condition::ends)
                .map(t -> new Event(id, t, null))
                .concatWith(Mono.fromSupplier(() -> new Event(id, null, null)))
                .onErrorResume(e -> Mono.just(new Event(id, null, e)));
    }

    /**
     * Where each task's watch starts, and with it the one deadline of the run: {@code --deadline}; else the tokens' of
     * {@code --resume} (a task without a token gets the earliest of them); else, when tokens are printed, now plus
     * {@code --timeout} on the watches' clock, so that a resumed run keeps it; else none, and each watch counts
     * {@code --timeout} from its subscription. All checked before anything is printed or sent.
     */
    private Map<String, ResumePoint> startPoints(List<String> ids, Scheduler clock) {
        boolean timeoutGiven = spec.commandLine().getParseResult().hasMatchedOption("--timeout");
        if (deadline != null && timeoutGiven) {
            throw usage("--deadline and --timeout are alternatives: give one of them");
        }
        if (!resume.isEmpty() && (deadline != null || timeoutGiven)) {
            throw usage("--resume keeps the deadline of its token: drop --timeout and --deadline");
        }
        Map<String, ResumePoint> resumed = new LinkedHashMap<>();
        for (String token : resume) {
            ResumePoint point;
            try {
                point = ResumePoint.fromToken(token);
            } catch (IllegalArgumentException e) {
                // The library quotes at most the token's first characters; escaped again, as for any diagnostic.
                throw usage("--resume: " + SafeText.escape(String.valueOf(e.getMessage()), 300));
            }
            if (!point.zoneId().equals(zone)) {
                throw usage("--resume: the token is for zone " + point.zoneId() + ", not --zone "
                        + SafeText.escape(zone, 128));
            }
            if (!ids.contains(point.taskId())) {
                throw usage("--resume: the token is for task " + point.taskId()
                        + ", which is not one of the tasks to wait for (--task, --tasks-from)");
            }
            if (resumed.put(point.taskId(), point) != null) {
                throw usage("--resume: two tokens for task " + point.taskId() + ": give its last one only");
            }
        }
        Instant runDeadline = deadline;
        if (runDeadline == null && !resumed.isEmpty()) {
            runDeadline = resumed.values().stream()
                    .map(ResumePoint::deadline)
                    .filter(d -> d != null)
                    .min(Instant::compareTo)
                    .orElse(null);
        }
        if (runDeadline == null && printResumeToken) {
            runDeadline = Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS)).plus(timeout);
        }
        Map<String, ResumePoint> points = new LinkedHashMap<>();
        for (String id : ids) {
            ResumePoint point = resumed.get(id);
            points.put(id, point != null ? point : ResumePoint.start(zone, id, runDeadline));
        }
        return points;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The stderr line that hands over a task's resume token. Ids are checked, the token is base64url: no escaping. */
    private static String tokenLine(ResumePoint point) {
        return "resume-token " + point.zoneId() + "/" + point.taskId() + " " + point.toToken();
    }

    /** Runs every watch at once, prints as they go, and reports; returns the exit code. */
    private int await(
            List<String> ids,
            List<Flux<Event>> watches,
            TransitionPrinter printer,
            Map<String, AtomicInteger> polls,
            Scheduler clock,
            Map<String, ResumePoint> points) {
        // Elapsed times on the watches' clock, the one their timeout is counted on.
        LongSupplier now = () -> clock.now(TimeUnit.NANOSECONDS);
        long started = now.getAsLong();
        Map<String, Task> last = new ConcurrentHashMap<>();
        Map<String, TaskResult> results = new LinkedHashMap<>();
        boolean several = ids.size() > 1;
        Thread onInterrupt = new Thread(
                () -> interrupted(
                        printer, console, where(ids, last), Duration.ofNanos(now.getAsLong() - started), several),
                "taskwatch-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        printer.start(zone, ids);
        Map<String, ResumePoint> current = new LinkedHashMap<>(points);
        if (printResumeToken) {
            current.values().forEach(p -> printer.diagnostic(tokenLine(p)));
        }
        try {
            // Every watch subscribed at once, so the one timeout of the options is counted from the same instant for
            // all. An absolute deadline would only change how that timeout is computed.
            Flux<Event> all =
                    Flux.fromIterable(watches).flatMap(w -> w, watches.size()).takeUntil(e -> failFast && e.failed());
            // Iterating on this thread: what the printer does is never Reactor's threads' business.
            for (Event e : all.toIterable(1)) {
                Task task = e.task();
                if (task != null) {
                    printer.transition(task);
                    last.put(e.taskId(), task);
                    if (printResumeToken) {
                        printToken(printer, current, e.taskId(), task);
                    }
                } else {
                    TaskResult r = result(e.taskId(), last.get(e.taskId()), e.error(), polls, started, now);
                    results.put(e.taskId(), r);
                    printer.ended(r);
                    report(r, several, printer::diagnostic);
                }
            }
        } finally {
            printer.stop();
            removeShutdownHook(onInterrupt);
        }
        // Watches that --fail-fast stopped: the one that failed, and the others.
        for (String id : ids) {
            if (!results.containsKey(id)) {
                Task seen = last.get(id);
                TaskResult r = seen != null && seen.status() == TaskStatus.FAILED
                        ? result(id, seen, null, polls, started, now)
                        : new TaskResult(
                                id,
                                Outcome.CANCELLED,
                                seen,
                                polls.get(id).get(),
                                Duration.ofNanos(now.getAsLong() - started),
                                "not watched further: another task failed (--fail-fast)");
                results.put(id, r);
                if (r.outcome() == Outcome.FAILED) {
                    report(r, several, console::errLine);
                }
            }
        }
        List<TaskResult> ordered = ids.stream().map(results::get).toList();
        finish(ordered, several);
        int code = ExitCode.COMPLETED;
        for (TaskResult r : ordered) {
            code = ExitCode.worst(code, r.outcome().exitCode());
        }
        return code;
    }

    /** Moves the task's point on to {@code task} and prints its token; a status no token can hold is said so. */
    private static void printToken(TransitionPrinter printer, Map<String, ResumePoint> current, String id, Task task) {
        ResumePoint point = current.get(id);
        if (point == null) {
            return;
        }
        try {
            ResumePoint next = point.after(task);
            current.put(id, next);
            printer.diagnostic(tokenLine(next));
        } catch (IllegalArgumentException e) {
            printer.diagnostic(TaskwatchCommand.diagnostic(
                    "no resume token for " + point.zoneId() + "/" + id + " at this status: " + e.getMessage()));
        }
    }

    private TaskResult result(
            String id,
            @Nullable Task seen,
            @Nullable Throwable error,
            Map<String, AtomicInteger> polls,
            long started,
            LongSupplier now) {
        Duration elapsed = Duration.ofNanos(now.getAsLong() - started);
        int n = polls.get(id).get();
        if (error != null) {
            Outcome outcome = error instanceof WatchTimeoutException
                    ? Outcome.TIMED_OUT
                    : error.getCause() instanceof IllegalArgumentException ? Outcome.USAGE : Outcome.API_ERROR;
            return new TaskResult(id, outcome, seen, n, elapsed, String.valueOf(error.getMessage()));
        }
        if (seen != null && condition.met(seen)) {
            return new TaskResult(id, Outcome.MET, seen, n, elapsed, null);
        }
        if (seen != null && seen.status() == TaskStatus.FAILED) {
            return new TaskResult(id, Outcome.FAILED, seen, n, elapsed, seen.errorMessage());
        }
        return new TaskResult(id, Outcome.API_ERROR, seen, n, elapsed, "the watch ended without a terminal status");
    }

    /** The diagnostic of a task that did not meet the condition. */
    private void report(TaskResult r, boolean several, Consumer<String> to) {
        if (r.outcome() == Outcome.MET || r.outcome() == Outcome.CANCELLED) {
            return;
        }
        String text;
        if (r.outcome() == Outcome.FAILED) {
            text = "task " + (several ? zone + "/" + r.taskId() + " " : "") + "failed"
                    + (r.message() == null ? "" : ": " + r.message());
        } else {
            text = String.valueOf(r.message());
        }
        to.accept(TaskwatchCommand.diagnostic(text));
    }

    /** After the wait: the summary (text mode, several tasks), and what GitHub Actions is told. */
    private void finish(List<TaskResult> results, boolean several) {
        if (several && output == Output.text) {
            summary(results).forEach(console::errLine);
        }
        GitHubActions actions = GitHubActions.from(io.env());
        if (actions != null) {
            for (TaskResult r : results) {
                String annotation = GitHubActions.annotation(zone + "/" + r.taskId(), r);
                if (annotation != null) {
                    console.errLine(annotation);
                }
            }
            String problem = actions.appendSummary(zone, results);
            if (problem != null) {
                console.errLine(TaskwatchCommand.diagnostic(problem));
            }
        }
    }

    /** The final summary: a count per outcome, then one row per task. */
    static List<String> summary(List<TaskResult> results) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        List<String> lines = new ArrayList<>();
        lines.add("taskwatch: " + results.size() + " tasks: "
                + counts.entrySet().stream()
                        .map(c -> c.getValue() + " " + c.getKey().label())
                        .collect(Collectors.joining(", ")));
        String[][] rows = new String[results.size() + 1][];
        rows[0] = new String[] {"TASK", "OUTCOME", "INSTALL", "POLLS", "ELAPSED"};
        for (int i = 0; i < results.size(); i++) {
            TaskResult r = results.get(i);
            String install = r.installId() == null ? "-" : SafeText.escape(r.installId(), 128);
            rows[i + 1] = new String[] {
                r.taskId(), r.shown(), install, Integer.toString(r.polls()), TaskResult.seconds(r.elapsed())
            };
        }
        int[] widths = new int[rows[0].length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder(" ");
            for (int c = 0; c < row.length; c++) {
                sb.append(' ').append(row[c]).append(" ".repeat(widths[c] - row[c].length() + 1));
            }
            lines.add(sb.toString().stripTrailing());
        }
        return lines;
    }

    /** The distinct task ids of --task and --tasks-from, in order; a usage error if there are none. */
    private List<String> taskIds() {
        Set<String> ids = new LinkedHashSet<>(tasks);
        if (tasksFrom != null) {
            try {
                ids.addAll(readIds(tasksFrom));
            } catch (IOException | UncheckedIOException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "cannot read --tasks-from " + tasksFrom + ": " + e.getMessage());
            }
        }
        if (ids.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "no task to wait for: give --task ID or --tasks-from FILE");
        }
        if (ids.size() > MAX_TASKS) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), ids.size() + " tasks: at most " + MAX_TASKS + " in one wait");
        }
        return List.copyOf(ids);
    }

    /** One id per line; blank lines and anything after a {@code #} ignored. Ids are checked later, by the watcher. */
    private List<String> readIds(String from) throws IOException {
        try (Reader reader = "-".equals(from)
                        ? new InputStreamReader(io.in(), StandardCharsets.UTF_8)
                        : Files.newBufferedReader(Path.of(from), StandardCharsets.UTF_8);
                BufferedReader lines = new BufferedReader(reader)) {
            List<String> ids = new ArrayList<>();
            for (String line; (line = lines.readLine()) != null; ) {
                int hash = line.indexOf('#');
                String id = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (!id.isEmpty()) {
                    ids.add(id);
                }
                if (ids.size() > MAX_TASKS) {
                    break;
                }
            }
            return ids;
        }
    }

    /** Where the wait stands, for the Ctrl-C diagnostic. */
    private String where(List<String> ids, Map<String, Task> last) {
        if (ids.size() == 1) {
            Task seen = last.get(ids.get(0));
            return zone + "/" + ids.get(0) + " (last status " + (seen == null ? "unknown" : seen.statusValue()) + ")";
        }
        return ids.size() + " tasks in zone " + zone + " ("
                + ids.stream()
                        .map(id ->
                                id + " " + (last.containsKey(id) ? last.get(id).statusValue() : "unknown"))
                        .collect(Collectors.joining(", "))
                + ")";
    }

    /**
     * What Ctrl-C leaves behind, run by the shutdown hook while {@code wait} is waiting: the live table cleared (on a
     * terminal only), then one diagnostic on stderr saying where the wait stood, written out before the process exits
     * (with 130, as for any Ctrl-C). Nothing when the wait had already ended.
     */
    static void interrupted(
            TransitionPrinter printer, ConsoleWriter console, String label, @Nullable Task last, Duration elapsed) {
        interrupted(
                printer,
                console,
                label + " (last status " + (last == null ? "unknown" : last.statusValue()) + ")",
                elapsed,
                false);
    }

    private static void interrupted(
            TransitionPrinter printer, ConsoleWriter console, String where, Duration elapsed, boolean several) {
        if (printer.interrupt()) {
            console.errLine(TaskwatchCommand.diagnostic("interrupted after " + elapsed.toSeconds() + "s waiting for "
                    + where + (several ? "; the tasks themselves go on" : "; the task itself goes on")));
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

    /** The watch options of the flags; each failed poll that a watch retries becomes a diagnostic. */
    private WatchOptions options(TransitionPrinter printer) {
        // Each setter checks its own value only; maxDelay caps initialDelay when delays are computed, so a larger
        // --initial-delay than --max-delay is not an error: the first delays are maxDelay.
        WatchOptions o = WatchOptions.defaults().timeout(timeout).notFoundGrace(notFoundGrace);
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
        if (timer != null) {
            o = o.scheduler(timer);
        }
        // The failure that ends a watch is reported with its result instead. This runs on an event loop: the printer
        // only hands the line to the console's writer thread.
        return o.doOnRetry(r -> printer.diagnostic(
                TaskwatchCommand.diagnostic("poll failed (" + r.attempt() + " in a row), next poll in "
                        + TaskResult.seconds(r.delay()) + ": " + r.error().getMessage())));
    }
}
