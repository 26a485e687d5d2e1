package dev.taskwatch.core;

/**
 * Reads the connection pool of a client built by {@link CatalogTasksClient#builder()} from testkit's tests, which
 * live in another module: {@code poolStats()} is package-private, and this class shares its package on the class
 * path.
 */
public final class PoolProbe {

    /** Connections lent out, acquisitions waiting for one, and idle connections. */
    public record Stats(int acquired, int pending, int idle) {
        /** Nothing lent out and nothing waiting: what a client with no exchange in flight must report. */
        public boolean quiet() {
            return acquired == 0 && pending == 0;
        }
    }

    private PoolProbe() {}

    /**
     * The pool's figures now.
     *
     * @throws IllegalArgumentException if {@code client} was not built by {@link CatalogTasksClient#builder()}
     */
    public static Stats stats(CatalogTasksClient client) {
        if (!(client instanceof NettyCatalogTasksClient netty)) {
            throw new IllegalArgumentException("not a client from CatalogTasksClient.builder(): " + client);
        }
        NettyCatalogTasksClient.PoolStats s = netty.poolStats();
        return new Stats(s.acquired(), s.pending(), s.idle());
    }
}
