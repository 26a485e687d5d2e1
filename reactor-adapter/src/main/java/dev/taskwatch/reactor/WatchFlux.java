package dev.taskwatch.reactor;

import dev.taskwatch.core.Task;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * What {@link TaskWatcher#watch} returns: each subscription joins the task's shared {@link WatchLoop}, starting one if
 * none runs. Immutable; holds nothing but what identifies the watch.
 */
final class WatchFlux extends Flux<Task> {

    private final TaskWatcher watcher;
    private final TaskWatcher.Key key;
    private final boolean failedIsError;
    private final @Nullable ResumePoint from;

    /** @param failedIsError end with {@link TaskFailedException} instead of emitting a failed task */
    WatchFlux(TaskWatcher watcher, TaskWatcher.Key key, boolean failedIsError) {
        this.watcher = watcher;
        this.key = key;
        this.failedIsError = failedIsError;
        this.from = null;
    }

    /** A watch resumed from {@code from}. */
    WatchFlux(TaskWatcher watcher, TaskWatcher.Key key, ResumePoint from) {
        this.watcher = watcher;
        this.key = key;
        this.failedIsError = false;
        this.from = from;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Task> actual) {
        WatchOptions options = watcher.options();
        ResumePoint point = from;
        if (point != null) {
            WatchSubscription subscription =
                    new WatchSubscription(actual, options.timeout(), options.scheduler(), point);
            actual.onSubscribe(subscription);
            if (subscription.expired()) {
                // No request for a watch that is over before it starts.
                long late = WatchSubscription.wallClockNanos(options.scheduler()) - point.deadlineEpochNanos();
                subscription.fail(new Progress(key.zoneId(), key.taskId(), options, watcher.metrics())
                        .timedOut(Duration.ZERO, point.deadline(), Duration.ofNanos(Math.max(0, late)), null, null));
                subscription.drain();
                return;
            }
            watcher.join(key, subscription);
            return;
        }
        WatchSubscription subscription =
                new WatchSubscription(actual, failedIsError, options.timeout(), options.scheduler());
        actual.onSubscribe(subscription);
        watcher.join(key, subscription);
    }
}
