package dev.taskwatch.benchmarks;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * taskwatch's schedules in virtual time: the real {@link TaskWatcher} on a {@link VirtualTimeScheduler}, polling an
 * in-memory {@link CatalogTasksClient} lambda that answers from the {@link VirtualCatalog}. The defaults, and a few
 * variants to see whether the defaults are well chosen.
 */
final class TaskwatchSchedules {

    private TaskwatchSchedules() {}

    /** The schedule before the study: 1 s × 2 up to 10 s (now without the reset on transitions). */
    static final WatchOptions PREVIOUS_DEFAULTS = WatchOptions.defaults()
            .initialDelay(Duration.ofSeconds(1))
            .multiplier(2)
            .maxDelay(Duration.ofSeconds(10))
            .jitter(0.2);

    static List<RequestEfficiency.Outcome> outcomes(long[] durations) {
        WatchOptions d = WatchOptions.defaults();
        List<RequestEfficiency.Outcome> out = new ArrayList<>();
        out.add(run(durations, d, "taskwatch defaults", describe(d)));
        out.add(run(durations, PREVIOUS_DEFAULTS, "taskwatch previous defaults", describe(PREVIOUS_DEFAULTS)));
        WatchOptions max5 = d.maxDelay(Duration.ofSeconds(5));
        out.add(run(durations, max5, "taskwatch maxDelay 5 s", describe(max5)));
        WatchOptions start1 = d.initialDelay(Duration.ofSeconds(1));
        out.add(run(durations, start1, "taskwatch initialDelay 1 s", describe(start1)));
        return out;
    }

    /**
     * Every schedule of the grid, jitter as the defaults': the candidates the defaults were chosen from (see
     * {@link RequestEfficiency#search}).
     */
    static List<RequestEfficiency.Outcome> grid(long[] durations) {
        List<RequestEfficiency.Outcome> out = new ArrayList<>();
        for (long initialMs : new long[] {750, 1000, 1250, 1500, 1750, 2000, 2500}) {
            for (double multiplier : new double[] {1.15, 1.2, 1.25, 1.3, 1.4, 1.5, 2.0}) {
                for (long maxS : new long[] {6, 8, 9, 10, 11, 12}) {
                    WatchOptions o = WatchOptions.defaults()
                            .initialDelay(Duration.ofMillis(initialMs))
                            .multiplier(multiplier)
                            .maxDelay(Duration.ofSeconds(maxS));
                    out.add(run(durations, o, name(o), describe(o)));
                }
            }
        }
        return out;
    }

    /** The options a {@link #name} stands for (defaults' jitter). */
    static WatchOptions options(String name) {
        String[] parts = name.substring("taskwatch ".length()).split(" ");
        return WatchOptions.defaults()
                .initialDelay(Duration.ofMillis(Math.round(Double.parseDouble(parts[0]) * 1000)))
                .multiplier(Double.parseDouble(parts[2].substring(1)))
                .maxDelay(Duration.ofMillis(Math.round(Double.parseDouble(parts[4]) * 1000)));
    }

    static String name(WatchOptions o) {
        return "taskwatch " + o.initialDelay().toMillis() / 1000.0 + " s ×" + o.multiplier() + " → "
                + o.maxDelay().toMillis() / 1000.0 + " s";
    }

    static String describe(WatchOptions o) {
        return "initialDelay " + o.initialDelay().toMillis() / 1000.0 + " s × " + o.multiplier() + " up to "
                + o.maxDelay().toMillis() / 1000.0 + " s, jitter ±" + o.jitter() + ", no reset on transitions";
    }

    static RequestEfficiency.Outcome run(long[] durations, WatchOptions options, String name, String how) {
        VirtualCatalog catalog = new VirtualCatalog(durations);
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        CatalogTasksClient source = (zone, task, requestId) -> Mono.fromSupplier(() -> new CatalogTasksClient.Response(
                catalog.poll(VirtualCatalog.index(task), vts.now(TimeUnit.MILLISECONDS)), null));
        TaskWatcher watcher = TaskWatcher.create(source, options.scheduler(vts));
        List<Disposable> subscriptions = new ArrayList<>();
        for (int i = 0; i < catalog.size(); i++) {
            int index = i;
            subscriptions.add(watcher.watch("zone", VirtualCatalog.id(i))
                    .filter(t -> t.status().isTerminal())
                    .next()
                    .subscribe(t -> catalog.detected(index, vts.now(TimeUnit.MILLISECONDS))));
        }
        vts.advanceTimeBy(RequestEfficiency.HORIZON);
        subscriptions.forEach(Disposable::dispose);
        vts.dispose();
        return catalog.outcome(name, how);
    }
}
