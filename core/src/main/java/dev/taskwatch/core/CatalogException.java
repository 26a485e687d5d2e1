package dev.taskwatch.core;

import org.jspecify.annotations.Nullable;

/**
 * The base of every exception taskwatch signals. {@link #isTransient()} says whether trying again later may succeed.
 * Messages never contain credentials.
 *
 * <pre>{@code
 * client.retrieve(zone, task)
 *         .retryWhen(Retry.backoff(3, Duration.ofSeconds(1))
 *                 .filter(e -> e instanceof CatalogException c && c.isTransient()));
 * }</pre>
 */
public abstract class CatalogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Whether a later attempt may succeed; see {@link #isTransient()}. */
    private final boolean transientFailure;

    /**
     * @param message what went wrong, without secrets
     * @param cause the underlying failure, if any
     * @param transientFailure whether a later attempt may succeed
     */
    protected CatalogException(String message, @Nullable Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /**
     * Whether a later attempt may succeed (a timeout, a reset, a 503), as opposed to a definite answer.
     *
     * @return {@code true} if retrying the same request later may succeed; {@code false} if the answer is definite
     */
    public boolean isTransient() {
        return transientFailure;
    }
}
