package dev.taskwatch.core;

import org.jspecify.annotations.Nullable;

/**
 * The server answered, but not with something this client can accept: a body that is not a valid Task, a body over
 * the size cap, a Task whose id is not the one asked for, or an interim {@code 1xx} response (such as {@code 103 Early
 * Hints}) where the final one was expected. A malformed or oversized body and an interim response are transient (a
 * proxy may have garbled one response); a Task for another id is not.
 */
public final class CatalogProtocolException extends CatalogException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, without secrets
     * @param cause the underlying failure, if any
     * @param transientFailure whether a later attempt may succeed
     */
    public CatalogProtocolException(String message, @Nullable Throwable cause, boolean transientFailure) {
        super(message, cause, transientFailure);
    }
}
