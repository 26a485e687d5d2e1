package dev.taskwatch.reactor;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one polling loop of a {@link TaskWatcher} is doing at the moment {@link TaskWatcher#activeWatches()} was
 * called: which task it polls, what it saw last, and when it polls next.
 *
 * <pre>{@code
 * for (ActiveWatch w : watcher.activeWatches()) {
 *     System.out.printf("%s/%s %s after %d polls, next in %s%n",
 *         w.zoneId(), w.taskId(), w.lastStatus(), w.polls(), w.nextPollIn());
 * }
 * }</pre>
 *
 * <p>Times are relative durations on the watcher's {@link WatchOptions#scheduler()} clock, so they read the same
 * under virtual time and need no wall clock to interpret.
 *
 * @param zoneId the zone of the task
 * @param taskId the task
 * @param lastStatus the raw status of the last answer that was not stale (as on the wire, so an unknown value prints
 *     unchanged), or {@code null} before the first answer
 * @param polls the requests this loop has sent so far, including one in flight
 * @param age how long ago the loop sent its first request; zero before it has sent one
 * @param nextPollIn how long until the next request is sent, or {@code null} while a request is in flight (or about to
 *     be sent)
 * @param subscribers how many subscribers share this loop
 */
public record ActiveWatch(
        String zoneId,
        String taskId,
        @Nullable String lastStatus,
        int polls,
        Duration age,
        @Nullable Duration nextPollIn,
        int subscribers) {

    /** Checks the components. */
    public ActiveWatch {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(age, "age");
    }
}
