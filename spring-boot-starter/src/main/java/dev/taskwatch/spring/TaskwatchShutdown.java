package dev.taskwatch.spring;

import dev.taskwatch.reactor.TaskWatcher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the context's watchers (the auto-configured one, or the application's own) when the context stops, in the lifecycle stop phase: before the web server's graceful shutdown
 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024} in Spring Boot), so that a request waiting on a watch (a Server-Sent
 * Events stream, an awaited task) ends at once instead of holding the graceful shutdown until its timeout, and long
 * before the client's connections close at bean destruction. No poll goes out after this stop.
 *
 * <p>A closed watcher cannot be reopened, so a context that is stopped and started again keeps a closed watcher;
 * such an application should define its own {@code TaskWatcher} bean.
 */
final class TaskwatchShutdown implements SmartLifecycle {

    /** Stops before the web server's graceful shutdown phase and after the application's default-phase beans. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final ObjectProvider<TaskWatcher> watchers;
    private volatile boolean running;

    TaskwatchShutdown(ObjectProvider<TaskWatcher> watchers) {
        this.watchers = watchers;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        watchers.orderedStream().forEach(TaskWatcher::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
