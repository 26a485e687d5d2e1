package dev.taskwatch.core;

import java.util.Objects;

/**
 * The client could not authenticate: the OAuth2 token endpoint ({@code POST …/service-account-token}) gave a definite
 * error answer, such as refused client credentials ({@code 400}, {@code 401}, {@code 403}) or no token endpoint at
 * that base URL ({@code 404}). Never transient: the same credentials at the same URL fail the same way, so a watch
 * ends at once instead of taking a {@code 404} there for a task that is not visible yet. The token endpoint's answer
 * (status, error code, message, request id) is {@link #refusal()}, also the cause.
 *
 * <p>Failures there that may pass ({@code 408}, {@code 429}, {@code 5xx}, timeouts, resets) are signalled as for any
 * request: as transient {@link CatalogApiException}s and {@link CatalogTransportException}s.
 */
public final class CatalogAuthenticationException extends CatalogException {

    private static final long serialVersionUID = 1L;

    /** The token endpoint's error answer, also the cause. */
    private final CatalogApiException refusal;

    /** @param refusal the token endpoint's error answer */
    public CatalogAuthenticationException(CatalogApiException refusal) {
        super("authentication failed at the token endpoint: " + refusal.getMessage(), refusal, false);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    /**
     * The token endpoint's error answer: HTTP status, error code, message and request id.
     *
     * @return the refusal, never {@code null}; the same object as {@link #getCause()}
     */
    public CatalogApiException refusal() {
        return refusal;
    }
}
