package dev.taskwatch.core;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the connection pool of a client built by {@link CatalogTasksClient#builder()} in core's own tests. Not in the
 * test-jar: other modules judge the pool from outside (what the server sees of its connections).
 */
final class PoolProbe {

    /** Connections lent out, acquisitions waiting for one, and idle connections. */
    record Stats(int acquired, int pending, int idle) {
        /** Nothing lent out and nothing waiting: what a client with no exchange in flight must report. */
        boolean quiet() {
            return acquired == 0 && pending == 0;
        }
    }

    private PoolProbe() {}

    /**
     * The pool's figures now.
     *
     * @throws IllegalArgumentException if {@code client} was not built by {@link CatalogTasksClient#builder()}
     */
    static Stats stats(CatalogTasksClient client) {
        if (!(client instanceof NettyCatalogTasksClient netty)) {
            throw new IllegalArgumentException("not a client from CatalogTasksClient.builder(): " + client);
        }
        NettyCatalogTasksClient.PoolStats s = netty.poolStats();
        return new Stats(s.acquired(), s.pending(), s.idle());
    }

    /**
     * The pool's figures once no connection is lent out (one goes back on its event loop just after its exchange
     * ends), waiting at most {@code timeout} of real time.
     */
    static Stats settled(CatalogTasksClient client, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Stats now = stats(client);
        while (now.acquired() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
            now = stats(client);
        }
        return now;
    }
}
