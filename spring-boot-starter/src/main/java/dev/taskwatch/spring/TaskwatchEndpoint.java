package dev.taskwatch.spring;

import dev.taskwatch.reactor.TaskWatcher;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code taskwatch}: what the application's {@link TaskWatcher} is polling right now, one entry
 * per task. {@code GET /actuator/taskwatch} answers, for example:
 *
 * <pre>{@code
 * {"watches":[{"zone":"zone-1","task":"task-1","status":"running","polls":3,
 *              "age":"PT3.5S","nextPollIn":"PT3.5S","subscribers":1}]}
 * }</pre>
 *
 * <p>Auto-configured when Actuator is on the class path and the endpoint is available (exposed, for example with
 * {@code management.endpoints.web.exposure.include=taskwatch}). Public so that an application can call it or define
 * its own instead. Durations are ISO-8601 strings; {@code status} is the raw status last seen, {@code null} before
 * the first answer; {@code nextPollIn} is {@code null} while a request is in flight.
 */
@Endpoint(id = "taskwatch")
public final class TaskwatchEndpoint {

    private final TaskWatcher watcher;

    /**
     * An endpoint reporting on {@code watcher}.
     *
     * @param watcher the watcher whose watches to list, not {@code null}; usually the auto-configured one
     * @throws NullPointerException if {@code watcher} is {@code null}
     */
    public TaskwatchEndpoint(TaskWatcher watcher) {
        this.watcher = Objects.requireNonNull(watcher, "watcher");
    }

    /**
     * The watcher's active watches, ordered by zone and task. Reads the watcher's state; sends no request.
     *
     * @return a snapshot taken at the call, one entry per polling loop; its list is empty when nothing is being
     *     polled
     */
    @ReadOperation
    public Watches watches() {
        return new Watches(watcher.activeWatches().stream().map(Watch::of).toList());
    }

    /**
     * The endpoint's answer.
     *
     * @param watches one entry per task being polled
     */
    public record Watches(List<Watch> watches) implements OperationResponseBody {

        /**
         * Copies the list.
         *
         * @param watches one entry per task being polled, not {@code null}, without {@code null} elements
         * @throws NullPointerException if {@code watches} or one of its elements is {@code null}
         */
        public Watches {
            watches = List.copyOf(watches);
        }
    }

    /**
     * One task being polled, as JSON-friendly values.
     *
     * @param zone the zone id
     * @param task the task id
     * @param status the raw status last seen, or {@code null} before the first answer
     * @param polls requests sent so far
     * @param age ISO-8601 time since the first request
     * @param nextPollIn ISO-8601 time until the next request, or {@code null} while one is in flight
     * @param subscribers subscribers sharing the poll
     */
    public record Watch(
            String zone,
            String task,
            @Nullable String status,
            int polls,
            String age,
            @Nullable String nextPollIn,
            int subscribers) {

        static Watch of(TaskWatcher.ActiveWatch watch) {
            Duration next = watch.nextPollIn();
            return new Watch(
                    watch.zoneId(),
                    watch.taskId(),
                    watch.lastStatus(),
                    watch.polls(),
                    watch.age().toString(),
                    next == null ? null : next.toString(),
                    watch.subscribers());
        }
    }
}
