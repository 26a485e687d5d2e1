package dev.taskwatch.core;

import org.jspecify.annotations.Nullable;

/**
 * The exchange did not complete: the connection could not be made, was reset or closed early, or the response did
 * not arrive within the response timeout. Transient, except for TLS failures (an untrusted or mismatched
 * certificate will not fix itself).
 */
public final class CatalogTransportException extends CatalogException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, without secrets
     * @param cause the underlying I/O failure
     * @param transientFailure whether a later attempt may succeed
     */
    public CatalogTransportException(String message, @Nullable Throwable cause, boolean transientFailure) {
        super(message, cause, transientFailure);
    }
}
