package dev.taskwatch.reactor;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskOperation;
import dev.taskwatch.core.TaskStatus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * The only class that touches Micrometer Observation; loaded only when a registry is configured. One observation per
 * subscription: a watch's subscribers share a polling loop, but each waits for its own reasons (its own caller, its own
 * timeout), so each gets its own span under its own parent.
 */
final class MicrometerWatchTracing implements WatchTracing {

    static final String NAME = "taskwatch.watch";
    static final String CONTEXTUAL_NAME = "taskwatch watch";
    static final String OPERATION = "taskwatch.operation";
    static final String OUTCOME = "taskwatch.outcome";
    static final String ZONE = "taskwatch.zone";
    static final String TASK = "taskwatch.task";
    static final String TRANSITION = "taskwatch.transition";

    private final ObservationRegistry registry;

    private MicrometerWatchTracing(ObservationRegistry registry) {
        this.registry = registry;
    }

    static WatchTracing create(Object registry) {
        return new MicrometerWatchTracing((ObservationRegistry) registry);
    }

    @Override
    public Flux<Task> observe(Flux<Task> watch, TaskWatcher.Key key) {
        return Flux.deferContextual(context -> {
            // KEY is a compile-time constant: reading it loads no context-propagation class.
            Observation parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
            Observation observation = Observation.createNotStarted(NAME, registry)
                    .contextualName(CONTEXTUAL_NAME)
                    .lowCardinalityKeyValue(OPERATION, "unknown")
                    .highCardinalityKeyValue(ZONE, key.zoneId())
                    .highCardinalityKeyValue(TASK, key.taskId())
                    .parentObservation(parent)
                    .start();
            Watch state = new Watch(observation);
            // doOn* run before the signal goes downstream: the span has ended when the subscriber hears of the end.
            return watch.doOnNext(state::transition)
                    .doOnComplete(state::completed)
                    .doOnError(state::failed)
                    .doOnCancel(state::cancelled);
        });
    }

    /** One subscription's observation: events as tasks pass, stopped by whichever end comes first, once. */
    static final class Watch {

        private static final AtomicIntegerFieldUpdater<Watch> STOPPED =
                AtomicIntegerFieldUpdater.newUpdater(Watch.class, "stopped");

        private final Observation observation;
        // Written and read on the subscriber's serialised signals only.
        private @Nullable Task last;
        private volatile int stopped;

        Watch(Observation observation) {
            this.observation = observation;
        }

        void transition(Task task) {
            if (last == null) {
                observation.lowCardinalityKeyValue(OPERATION, operation(task.operation()));
            }
            last = task;
            observation.event(Observation.Event.of(TRANSITION, task.statusValue()));
        }

        void completed() {
            Task terminal = last;
            stop(terminal != null && terminal.status() == TaskStatus.FAILED ? "failed" : "completed", null);
        }

        void failed(Throwable error) {
            if (error instanceof TaskFailedException) {
                stop("failed", null); // awaitCompleted's way of saying failed: data, not an error of the watch
            } else {
                stop(error instanceof WatchTimeoutException ? "timeout" : "error", error);
            }
        }

        void cancelled() {
            stop("cancelled", null);
        }

        private void stop(String outcome, @Nullable Throwable error) {
            if (!STOPPED.compareAndSet(this, 0, 1)) {
                return;
            }
            observation.lowCardinalityKeyValue(OUTCOME, outcome);
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        }

        private static String operation(TaskOperation operation) {
            return switch (operation) {
                case CREATE -> "install";
                case DELETE -> "delete";
                case UNKNOWN -> "unknown";
            };
        }
    }
}
