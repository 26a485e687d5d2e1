package dev.taskwatch.benchmarks;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.TaskResponse;
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

    static List<RequestEfficiency.Outcome> outcomes(long[] durations) {
        WatchOptions d = WatchOptions.defaults();
        List<RequestEfficiency.Outcome> out = new ArrayList<>();
        out.add(run(durations, d, "taskwatch defaults", describe(d)));
        WatchOptions max5 = d.maxDelay(Duration.ofSeconds(5));
        out.add(run(durations, max5, "taskwatch maxDelay 5 s", describe(max5)));
        WatchOptions max20 = d.maxDelay(Duration.ofSeconds(20));
        out.add(run(durations, max20, "taskwatch maxDelay 20 s", describe(max20)));
        WatchOptions start2 = d.initialDelay(Duration.ofSeconds(2));
        out.add(run(durations, start2, "taskwatch initialDelay 2 s", describe(start2)));
        WatchOptions start3 = d.initialDelay(Duration.ofSeconds(3));
        out.add(run(durations, start3, "taskwatch initialDelay 3 s", describe(start3)));
        return out;
    }

    static String describe(WatchOptions o) {
        return "initialDelay " + o.initialDelay().toMillis() / 1000.0 + " s × " + o.multiplier() + " up to "
                + o.maxDelay().toMillis() / 1000.0 + " s, jitter ±" + o.jitter() + ", reset on transitions";
    }

    static RequestEfficiency.Outcome run(long[] durations, WatchOptions options, String name, String how) {
        VirtualCatalog catalog = new VirtualCatalog(durations);
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        CatalogTasksClient source = (zone, task, requestId) -> Mono.fromSupplier(
                () -> new TaskResponse(catalog.poll(VirtualCatalog.index(task), vts.now(TimeUnit.MILLISECONDS)), null));
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
