package dev.taskwatch.core;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A non-blocking client for Keycard's catalog task status endpoint,
 * {@code GET {baseUrl}/zones/{zone_id}/catalog_tasks/{task_id}}.
 *
 * <p>Share one client per application: it is thread-safe and holds a connection pool. {@link #close()} releases the
 * pool.
 *
 * <pre>{@code
 * try (CatalogTasksClient client = CatalogTasksClient.builder()
 *         .baseUrl(URI.create("https://api.keycard.ai"))
 *         .credentials(Credentials.fromEnvironment())
 *         .build()) {
 *     Task task = client.retrieve("zone-1", "task-1").block(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Every method returns a lazy {@link Mono}: nothing is sent until subscription, and cancelling aborts the
 * exchange. A {@code 200} gives the decoded {@link Task}; a {@code 303 See Other} means the task completed and gives
 * a {@link TaskStatus#COMPLETED} task with the install id taken from {@code Location} (the redirect is never
 * followed). Anything else errors with a {@link CatalogException}: {@link CatalogApiException} for other HTTP
 * statuses, {@link CatalogTransportException} for I/O failures and timeouts, {@link CatalogProtocolException} for a
 * {@code 200} whose body is malformed, over the size cap, or about another task, and for an interim {@code 1xx}
 * response in place of the final one (an error body over the cap only
 * loses its details: the status still decides). Invalid ids fail with {@link IllegalArgumentException} before any
 * I/O.
 *
 * <p>The interface has one abstract method, {@link #exchange}, so a scripted source for tests is a lambda.
 */
@FunctionalInterface
public interface CatalogTasksClient extends AutoCloseable {

    /**
     * A builder with the defaults described on each of its methods.
     *
     * @return a new builder, to be used by one thread
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Checks an id the way {@link #exchange} does, for code that wants to refuse it early (a watcher, a form, a
     * simulator): 1–128 characters of {@code [A-Za-z0-9._~-]}, not {@code .} or {@code ..}, so it is safe in a path
     * segment as is.
     *
     * @param id the zone or task id
     * @param name what to call it in the message, such as {@code "taskId"}
     * @return {@code id}
     * @throws IllegalArgumentException if it breaks the rule; the message names {@code name} and shows the value
     *     with control and invisible characters escaped
     */
    static String requireValidId(String id, String name) {
        return RequestValues.requireId(id, name);
    }

    /**
     * Requests a task's status, keeping the server's polling hint.
     *
     * @param zoneId the zone id: 1–128 characters of {@code [A-Za-z0-9._~-]}, not {@code .} or {@code ..}
     * @param taskId the task id, same rules
     * @param clientRequestId the {@code X-Client-Request-ID} to send, or {@code null} to send none: 1–128 printable
     *     ASCII characters
     * @return a lazy Mono of the response
     * @throws IllegalArgumentException (when called) if an id or the client request id is invalid
     */
    Mono<Response> exchange(String zoneId, String taskId, @Nullable String clientRequestId);

    /**
     * Retrieves a task's status without an {@code X-Client-Request-ID}.
     *
     * @param zoneId the zone id: 1–128 characters of {@code [A-Za-z0-9._~-]}, not {@code .} or {@code ..}
     * @param taskId the task id, same rules
     * @return a lazy Mono that emits the task once and completes, or errors with a {@link CatalogException}
     * @throws IllegalArgumentException if an id is invalid
     * @see #exchange(String, String, String)
     */
    default Mono<Task> retrieve(String zoneId, String taskId) {
        return exchange(zoneId, taskId, null).map(Response::task);
    }

    /**
     * Retrieves a task's status, sending {@code clientRequestId} as {@code X-Client-Request-ID}.
     *
     * @param zoneId the zone id: 1–128 characters of {@code [A-Za-z0-9._~-]}, not {@code .} or {@code ..}
     * @param taskId the task id, same rules
     * @param clientRequestId the {@code X-Client-Request-ID} to send: 1–128 printable ASCII characters, not
     *     {@code null}
     * @return a lazy Mono that emits the task once and completes, or errors with a {@link CatalogException}
     * @throws IllegalArgumentException if an id or the client request id is invalid
     * @see #exchange(String, String, String)
     */
    default Mono<Task> retrieve(String zoneId, String taskId, String clientRequestId) {
        Objects.requireNonNull(clientRequestId, "clientRequestId");
        return exchange(zoneId, taskId, clientRequestId).map(Response::task);
    }

    /**
     * Releases the connection pool: idle connections close at once, busy ones when their exchange ends (within the
     * response timeout). Exchanges subscribed afterwards fail with {@link IllegalStateException}. Idempotent. Does
     * nothing by default.
     */
    @Override
    default void close() {}

    /** Configures a {@link CatalogTasksClient}. Not thread-safe; {@link #build()} may be called more than once. */
    final class Builder {
        static final URI DEFAULT_BASE_URL = URI.create("https://api.keycard.ai");
        static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
        /**
         * How long a pooled connection may sit idle before it is closed instead of reused: well below typical server
         * and proxy keep-alive timeouts (60 s and up), whose expiry otherwise surfaces as "connection prematurely
         * closed" on the next request.
         */
        static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(20);

        private @Nullable URI baseUrl;
        private @Nullable Credentials credentials;
        private @Nullable Map<String, String> environment;
        private Duration responseTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private int maxConnections = 64;
        private Duration maxIdleTime = DEFAULT_MAX_IDLE_TIME;
        private Clock clock = Clock.systemUTC();

        Builder() {}

        /**
         * The API's base URL, {@code http} or {@code https}, optionally with a path prefix. Defaults to the
         * {@code KEYCARD_API_BASE_URL} variable of the {@linkplain #environment(Map) environment}, else
         * {@code https://api.keycard.ai}; a blank {@code KEYCARD_API_BASE_URL} counts as unset.
         *
         * @param baseUrl the base URL, not {@code null}; trailing slashes are dropped
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) URL with a host, or has a query, a
         *     fragment or user info
         */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Endpoint.requireBaseUrl(baseUrl);
            return this;
        }

        /**
         * How to authenticate. Defaults to {@link Credentials#fromEnvironment(Map)} of the
         * {@linkplain #environment(Map) environment}, read when {@link #build()} runs.
         *
         * @param credentials the credentials, not {@code null}; {@link Credentials#none()} sends no
         *     {@code Authorization} header
         * @return this builder
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Where the defaults of {@link #baseUrl(URI)} and {@link #credentials(Credentials)} come from: the
         * {@code KEYCARD_API_*} variables of this map instead of the process environment. For a command line tool
         * that is handed its environment, or a framework that resolves these names from its own configuration. The
         * map is read when {@link #build()} runs, and only when a default is needed. Defaults to
         * {@link System#getenv()}.
         *
         * <pre>{@code
         * CatalogTasksClient.builder().environment(Map.of("KEYCARD_API_BASE_URL", "http://127.0.0.1:8080")).build();
         * }</pre>
         *
         * @param environment the variables by name, not {@code null}; kept by reference, not copied
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * How long to wait for a response once the request is sent, and between reads of its body. Defaults to 10
         * seconds.
         *
         * @param responseTimeout the timeout, not {@code null}
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = requirePositive(responseTimeout, "responseTimeout");
            return this;
        }

        /**
         * How long to wait for a TCP connection. Defaults to 5 seconds.
         *
         * @param connectTimeout the timeout, not {@code null}; used at millisecond precision
         * @return this builder
         * @throws IllegalArgumentException if not positive or over {@link Integer#MAX_VALUE} milliseconds
         */
        public Builder connectTimeout(Duration connectTimeout) {
            requirePositive(connectTimeout, "connectTimeout");
            if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout too large: " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * The largest response body accepted, enforced while reading. Defaults to 1 MiB (1048576 bytes).
         *
         * @param maxResponseBytes the cap in bytes; a {@code 200} body over it errors with
         *     {@link CatalogProtocolException}
         * @return this builder
         * @throws IllegalArgumentException if below 1024
         */
        public Builder maxResponseBytes(int maxResponseBytes) {
            if (maxResponseBytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024, got " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * The most connections open to the API at once; further requests queue for a free one. Defaults to 64.
         *
         * @param maxConnections the size of the connection pool
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** How long a pooled connection may stay idle (tests only: the pool's idle clock is the wall clock). */
        Builder maxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = requirePositive(maxIdleTime, "maxIdleTime");
            return this;
        }

        /** The clock deciding when a cached OAuth2 token expires (tests only). */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the client.
         *
         * @return a new client with its own connection pool, to be {@linkplain CatalogTasksClient#close() closed}
         *     when no longer needed
         * @throws IllegalArgumentException if credentials would be sent over plain http to a host that is not
         *     loopback, or the environment holds an unusable base URL or credentials (the message names the
         *     variable, never a credential)
         */
        public CatalogTasksClient build() {
            Map<String, String> env = environment != null ? environment : System.getenv();
            URI base = baseUrl != null ? baseUrl : Endpoint.defaultBaseUrl(env);
            Credentials creds = credentials != null ? credentials : Credentials.fromEnvironment(env);
            Endpoint.requireSafeForCredentials(base, creds);
            return new NettyCatalogTasksClient(
                    base, creds, responseTimeout, connectTimeout, maxIdleTime, maxResponseBytes, maxConnections, clock);
        }

        private static Duration requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }

    /**
     * One successful answer to a task status request: the task, and the server's hint for when to ask again
     * ({@code Retry-After} or {@code retry-after-ms}), if it sent one.
     *
     * @param task the task as reported ({@code 200}) or as implied by a {@code 303} (completed, with the install id)
     * @param retryAfter the server's polling hint, if any
     */
    record Response(Task task, @Nullable Duration retryAfter) {

        /**
         * Creates a response.
         *
         * @param task the task, not {@code null}
         * @param retryAfter the server's polling hint, or {@code null} when it sent none
         */
        public Response {
            Objects.requireNonNull(task, "task");
        }
    }
}
