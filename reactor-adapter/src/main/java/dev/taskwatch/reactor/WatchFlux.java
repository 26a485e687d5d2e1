package dev.taskwatch.reactor;

import dev.taskwatch.core.Task;
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

    /** @param failedIsError end with {@link TaskFailedException} instead of emitting a failed task */
    WatchFlux(TaskWatcher watcher, TaskWatcher.Key key, boolean failedIsError) {
        this.watcher = watcher;
        this.key = key;
        this.failedIsError = failedIsError;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Task> actual) {
        WatchOptions options = watcher.options();
        WatchSubscription subscription =
                new WatchSubscription(actual, failedIsError, options.timeout(), options.scheduler());
        actual.onSubscribe(subscription);
        watcher.join(key, subscription);
    }
}
