package dev.taskwatch.reactor;

import dev.taskwatch.core.Task;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/** Wraps each watch in an observation. Does nothing unless a Micrometer observation registry is configured. */
interface WatchTracing {

    WatchTracing NONE = (watch, key) -> watch;

    /**
     * Tracing for the given registry. {@link MicrometerWatchTracing} is referenced only on the non-null branch, so
     * without a registry no Micrometer class is ever loaded.
     */
    static WatchTracing of(@Nullable Object observationRegistry) {
        return observationRegistry == null ? NONE : MicrometerWatchTracing.create(observationRegistry);
    }

    /** {@code watch}, observed per subscription; {@code watch} itself when there is nothing to observe with. */
    Flux<Task> observe(Flux<Task> watch, TaskWatcher.Key key);
}
