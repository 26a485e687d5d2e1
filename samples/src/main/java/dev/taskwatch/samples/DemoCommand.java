package dev.taskwatch.samples;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskOperation;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.internal.SafeText;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.Fault;
import dev.taskwatch.testkit.RecordedRequest;
import dev.taskwatch.testkit.ScriptedTask;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code taskwatch demo}: starts a {@link CatalogSimulator} on loopback, scripts eight tasks (fast, slow, failing,
 * throttled and reset, invisible at first, stalled, garbled, a delete with a warning), watches them all at once,
 * prints each transition as it happens and a summary table. Exits 0 when every task ended as scripted.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Watch eight scripted tasks against an embedded simulator (no network needed).")
final class DemoCommand implements Callable<Integer> {

    static final String ZONE = "demo-zone";

    /** One scripted task, what it shows, and how it must end. */
    record Scenario(String taskId, String shows, TaskStatus expected, Consumer<ScriptedTask> script) {}

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario(
                    "fast-install",
                    "a quick install",
                    TaskStatus.COMPLETED,
                    t -> t.pending(ms(300)).running(ms(700)).completes("inst-fast")),
            new Scenario(
                    "slow-install",
                    "a long install: backoff up to max-delay",
                    TaskStatus.COMPLETED,
                    t -> t.pending(ms(1000)).running(ms(7000)).completes("inst-slow")),
            new Scenario(
                    "failing-install",
                    "a failure is data, not an error",
                    TaskStatus.FAILED,
                    t -> t.pending(ms(500)).running(ms(1500)).fails("package 'ledger-agent' failed its health check")),
            new Scenario(
                    "throttled-install",
                    "429 + Retry-After, 503, a reset",
                    TaskStatus.COMPLETED,
                    t -> t.running(ms(3000))
                            .fault(2, Fault.status(429).retryAfter(Duration.ofSeconds(1)))
                            .fault(3, Fault.status(503))
                            .fault(4, Fault.reset())
                            .completes("inst-throttled")),
            new Scenario(
                    "late-install",
                    "404 for its first 3 polls",
                    TaskStatus.COMPLETED,
                    t -> t.notFoundFor(3).pending(ms(2500)).running(ms(1500)).completes("inst-late")),
            new Scenario(
                    "stalled-install",
                    "a stalled response, cut by the request timeout",
                    TaskStatus.COMPLETED,
                    t -> t.running(ms(3000))
                            .fault(2, Fault.stall(Duration.ofSeconds(5)))
                            .completes("inst-stalled")),
            new Scenario(
                    "garbled-install",
                    "a truncated body and a 502 HTML page",
                    TaskStatus.COMPLETED,
                    t -> t.running(ms(2500))
                            .fault(2, Fault.malformedBody())
                            .fault(3, Fault.htmlBadGateway())
                            .completes("inst-garbled")),
            new Scenario(
                    "delete-adopted",
                    "a delete that keeps an adopted entity",
                    TaskStatus.COMPLETED,
                    t -> t.operation(TaskOperation.DELETE)
                            .running(ms(2000))
                            .warning("conflict", "adopted entity 'billing-db' existed before the install and is kept")
                            .completes("inst-deleted")));

    private final ConsoleWriter console;

    DemoCommand(ConsoleWriter console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        WatchOptions options = WatchOptions.defaults()
                .maxDelay(Duration.ofSeconds(2))
                .initialDelay(Duration.ofMillis(250))
                .timeout(Duration.ofSeconds(25));
        try (CatalogSimulator sim = CatalogSimulator.start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        .responseTimeout(Duration.ofSeconds(2))
                        .build()) {
            // One watch first, so that class loading and the first connection are not what the timings show. It
            // only warms up: should it fail on a very busy machine, the demo itself still runs.
            TaskWatcher watcher = TaskWatcher.create(client, options);
            sim.task(ZONE, "warm-up").completes("warm-up");
            watcher.awaitTerminal(ZONE, "warm-up")
                    .onErrorResume(e -> Mono.empty())
                    .block(Duration.ofSeconds(20));
            sim.clearRequests();
            console.outLine("taskwatch demo: simulator at " + sim.baseUrl() + ", watching " + SCENARIOS.size()
                    + " tasks at once");
            for (Scenario s : SCENARIOS) {
                s.script().accept(sim.task(ZONE, s.taskId()));
                console.outLine(String.format("  %-18s %s", s.taskId(), s.shows()));
            }
            console.outLine("");

            long start = System.nanoTime();
            Map<String, Outcome> outcomes = new LinkedHashMap<>();
            SCENARIOS.forEach(s -> outcomes.put(s.taskId(), new Outcome()));
            // Every transition of every task, merged and iterated on this thread; the console writes them out.
            Flux<Event> events = Flux.merge(SCENARIOS.stream()
                    .map(s -> watcher.watch(ZONE, s.taskId())
                            .map(task -> new Event(s.taskId(), task, null))
                            .onErrorResume(e -> Flux.just(new Event(s.taskId(), null, e))))
                    .toList());
            for (Event e : events.toIterable()) {
                double at = (System.nanoTime() - start) / 1e9;
                Outcome o = outcomes.get(e.taskId());
                o.elapsed = at;
                if (e.task() != null) {
                    o.last = e.task();
                    StringBuilder line = new StringBuilder(String.format(
                            "+%5.2fs  %-18s %-10s",
                            at, e.taskId(), SafeText.escape(e.task().statusValue(), 64)));
                    TransitionPrinter.describe(e.task(), line);
                    console.outLine(line.toString().stripTrailing());
                } else {
                    o.error = e.error();
                    console.outLine(String.format(
                            "+%5.2fs  %-18s error: %s",
                            at,
                            e.taskId(),
                            SafeText.escape(String.valueOf(e.error().getMessage()), 2000)));
                }
            }
            return summary(sim, outcomes);
        }
    }

    private int summary(CatalogSimulator sim, Map<String, Outcome> outcomes) {
        console.outLine("");
        console.outLine("| task               | outcome    | expected   | polls | retries | elapsed |");
        console.outLine("|--------------------|------------|------------|-------|---------|---------|");
        boolean asScripted = true;
        for (Scenario s : SCENARIOS) {
            Outcome o = outcomes.get(s.taskId());
            List<RecordedRequest> requests = sim.requests(ZONE, s.taskId());
            long retries = requests.stream().filter(DemoCommand::wasRetried).count();
            String outcome =
                    o.error != null ? "error" : o.last == null ? "none" : SafeText.escape(o.last.statusValue(), 64);
            boolean ok = o.error == null && o.last != null && o.last.status() == s.expected();
            asScripted &= ok;
            console.outLine(String.format(
                    "| %-18s | %-10s | %-10s | %5d | %7d | %6.2fs |",
                    s.taskId(), outcome, s.expected().wireValue(), requests.size(), retries, o.elapsed));
        }
        console.outLine("");
        console.outLine(asScripted ? "Every task ended as scripted." : "Some tasks did not end as scripted.");
        return asScripted ? ExitCode.COMPLETED : ExitCode.FAILED;
    }

    /** A poll whose answer was not a task status: a fault or a 404 while the task was still invisible. */
    private static boolean wasRetried(RecordedRequest r) {
        return r.fault() != null || (r.status() != 200 && r.status() != 303);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private record Event(
            String taskId, @Nullable Task task, @Nullable Throwable error) {}

    private static final class Outcome {
        @Nullable
        Task last;

        @Nullable
        Throwable error;

        double elapsed;
    }
}
