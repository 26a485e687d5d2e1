package dev.taskwatch.testkit;

import dev.taskwatch.core.CatalogTasksClient;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A scripted, fault-injecting Keycard catalog task API on {@code 127.0.0.1}, for testing code that watches tasks: a
 * real HTTP server (Reactor Netty, a free port), so the client under test runs exactly as in production.
 *
 * <pre>{@code
 * try (CatalogSimulator sim = CatalogSimulator.start()) {
 *     sim.task("zone-1", "task-1").pending(Duration.ofSeconds(1)).running(Duration.ofSeconds(2)).completes("install-1");
 *     CatalogTasksClient client = CatalogTasksClient.builder()
 *             .baseUrl(sim.baseUrl())
 *             .credentials(Credentials.none())
 *             .build();
 *     Task task = client.retrieve("zone-1", "task-1").block();      // pending: its first second has not passed
 *     assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
 *     assertThat(sim.requests("zone-1", "task-1")).hasSize(1);
 *     // ... 3 s later the same call gives a COMPLETED task with installId() "install-1" (from the 303's Location)
 * }
 * }</pre>
 *
 * <p>Each task is scripted with a {@link ScriptedTask}: how long it is pending and running by the simulator's
 * {@link Clock}, whether it completes ({@code 303 See Other} to its install, like Keycard) or fails ({@code 200} with
 * {@code status failed} and an {@code error_message}), for how many requests it is still invisible ({@code 404}),
 * and which of its requests meet a {@link Fault}. Give the simulator a clock you control to step through a script
 * without sleeping:
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.now());           // or any java.time.Clock
 * try (CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start()) { ... clock.advance(...) ... }
 * }</pre>
 *
 * <p>It serves:
 *
 * <ul>
 *   <li>{@code GET /zones/{zone_id}/catalog_tasks/{task_id}}: as scripted; an unscripted task is {@code 404}.
 *   <li>{@code POST /service-account-token}: OAuth2 client credentials (HTTP Basic, form-urlencoded per RFC 6749,
 *       body {@code grant_type=client_credentials}) answered with {@code {access_token, token_type: "Bearer",
 *       expires_in}}. With {@link Builder#requireAuthorization(boolean)} task requests need a valid, unexpired
 *       {@code Authorization: Bearer} token or get {@code 401}.
 *   <li>Anything else: {@code 404} or {@code 405} in the API's error shape ({@code code, message, details, path,
 *       request_id, status, timestamp}).
 * </ul>
 *
 * <p>Every request is recorded ({@link #requests()}), up to a bound set by {@link Builder#recordRequests(int)}. The
 * request path is lock-free and does not block: bodies are encoded once per script change, so the simulator is not
 * what a benchmark measures. {@link #close()} closes every connection, releasing stalled requests, and stops the
 * server's threads.
 */
public final class CatalogSimulator implements AutoCloseable {

    private final Clock clock;
    private final Recorder recorder;
    private final Responses responses = new Responses();
    private final TokenEndpoint tokens;
    private final TaskEndpoint tasks;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ChannelGroup channels = new DefaultChannelGroup("catalog-simulator", ImmediateEventExecutor.INSTANCE);
    private final LoopResources loops;
    private final DisposableServer server;
    private final URI baseUrl;

    private CatalogSimulator(Builder b) {
        this.clock = b.clock;
        this.recorder = new Recorder(b.recordRequests);
        this.tokens = new TokenEndpoint(b.clients, b.apiKeys, b.tokenLifetime, recorder, responses);
        this.tasks = new TaskEndpoint(clock, recorder, responses, tokens, b.requireAuthorization);
        // Its own event loops: the client under test keeps its own, and close() can stop ours without touching it.
        this.loops = LoopResources.create(
                "catalog-simulator", 1, Math.max(2, Runtime.getRuntime().availableProcessors()), true);
        try {
            this.server = HttpServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .runOn(loops)
                    .doOnConnection(c -> channels.add(c.channel()))
                    .handle(this::route)
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            loops.dispose();
            throw e;
        }
        this.baseUrl = URI.create("http://127.0.0.1:" + server.port());
    }

    /**
     * Starts a simulator with the defaults described on {@link Builder}.
     *
     * @return a running simulator on a free port, to be {@linkplain #close() closed}
     */
    public static CatalogSimulator start() {
        return builder().start();
    }

    /**
     * A builder for a simulator with a custom clock, OAuth2 settings or request recording.
     *
     * @return a new builder; nothing is started until {@link Builder#start()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The base URL to give the client under test, such as {@code http://127.0.0.1:54321}.
     *
     * @return plain {@code http} on loopback, without a path; the same for the simulator's life
     */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The clock the scripts follow and requests are timed by.
     *
     * @return the builder's clock, else {@link Clock#systemUTC()}
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The script of a task, created on first use (the task's {@code created_at} is then the clock's current time,
     * to the millisecond); later calls for the same ids return the same script.
     *
     * @param zoneId the zone id
     * @param taskId the task id
     * @return the task's script, to configure with its fluent methods
     * @throws IllegalArgumentException if an id is not 1–128 characters of {@code [A-Za-z0-9._~-]}
     */
    public ScriptedTask task(String zoneId, String taskId) {
        CatalogTasksClient.requireValidId(zoneId, "zoneId");
        CatalogTasksClient.requireValidId(taskId, "taskId");
        return tasks.script(
                zoneId,
                taskId,
                () -> new ScriptedTask(this, zoneId, taskId, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    /**
     * The recorded requests, oldest first (the newest {@link Builder#recordRequests(int)} of them).
     *
     * @return a snapshot, unaffected by later requests; of every kind (task, token, unknown paths)
     */
    public List<RecordedRequest> requests() {
        return recorder.snapshot();
    }

    /**
     * The recorded requests for one task, oldest first.
     *
     * @param zoneId the zone id, not {@code null}
     * @param taskId the task id, not {@code null}
     * @return a snapshot of the recorded requests for that task; empty if none (or the ids are unknown)
     */
    public List<RecordedRequest> requests(String zoneId, String taskId) {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(taskId, "taskId");
        return recorder.snapshot(zoneId, taskId);
    }

    /**
     * How many requests arrived, of any kind, recorded or not, since start or {@link #clearRequests()}.
     *
     * @return the count, not capped by {@link Builder#recordRequests(int)}
     */
    public long requestCount() {
        return recorder.total();
    }

    /** Forgets the recorded requests and resets {@link #requestCount()}; task scripts and their counts stay. */
    public void clearRequests() {
        recorder.clear();
    }

    /**
     * How many OAuth2 access tokens were issued.
     *
     * @return the count since start; {@link #clearRequests()} does not reset it
     */
    public int tokensIssued() {
        return tokens.issued();
    }

    /** Invalidates every issued token, as if revoked: the next task request with one gets {@code 401}. */
    public void revokeTokens() {
        tokens.revokeAll();
    }

    /**
     * How many requests a {@link Fault#stall stall} holds right now. Each holds one connection of the client under
     * test, and is released when that client gives up on it (closing the connection) or the stall ends: a count that
     * does not fall back to zero after the client cancelled shows a connection the client never let go of.
     *
     * @return the number of requests held right now
     */
    public int stalledRequests() {
        return tasks.stalledRequests();
    }

    /**
     * Closes every connection (releasing stalled requests; their clients see the connection close), stops the server
     * and its threads. Blocks for at most a few seconds, except on a non-blocking thread, where it starts the same
     * shutdown without waiting for it. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Schedulers.isInNonBlockingThread()) {
            // Called from an event loop or a parallel worker (a doFinally, say): the same steps, without waiting.
            server.dispose();
            channels.close();
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).subscribe();
            return;
        }
        try {
            server.disposeNow(Duration.ofSeconds(5));
        } finally {
            channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
    }

    @Override
    public String toString() {
        return "CatalogSimulator{" + baseUrl + ", tasks=" + tasks.scripts() + ", requests=" + recorder.total() + "}";
    }

    /** Sends each request to the endpoint for its path; anything else is a {@code 404} in the API's error shape. */
    private Publisher<Void> route(HttpServerRequest req, HttpServerResponse res) {
        long now = clock.millis();
        recorder.count();
        String uri = req.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        if (TaskEndpoint.closingOnReuse(req)) {
            return tasks.closeOnReuse(req, path, now);
        }
        int slash = TaskEndpoint.taskSlash(path);
        if (slash > 0) {
            return tasks.serve(req, res, path, slash, now);
        }
        if (path.equals(TokenEndpoint.PATH)) {
            return tokens.serve(req, res, path, now);
        }
        recorder.record(req, now, null, null, 404, null);
        return responses.error(res, 404, "no such resource: " + path, path, now, null, null);
    }

    /**
     * Configures a {@link CatalogSimulator}. Not thread-safe.
     *
     * <pre>{@code
     * CatalogSimulator sim = CatalogSimulator.builder()
     *         .client("my-client", "my-secret")
     *         .tokenLifetime(Duration.ofMinutes(5))
     *         .requireAuthorization(true)
     *         .start();
     * }</pre>
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private final Map<String, String> clients = new LinkedHashMap<>();
        private final Set<String> apiKeys = new LinkedHashSet<>();
        private boolean requireAuthorization;
        private Duration tokenLifetime = Duration.ofHours(1);
        private int recordRequests = 10_000;

        Builder() {}

        /**
         * The clock scripts follow and requests are timed by. Defaults to {@link Clock#systemUTC()}.
         *
         * @param clock the clock, not {@code null}; a {@link ManualClock} steps through scripts without sleeping
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Accepts this OAuth2 client at {@code POST /service-account-token}. Defaults to none registered, in which
         * case any non-empty client id and secret are accepted; once one is registered, only registered ones are.
         *
         * @param clientId the client id, not {@code null}
         * @param clientSecret its secret, not {@code null}; a second call for the same id replaces it
         * @return this builder
         */
        public Builder client(String clientId, String clientSecret) {
            clients.put(
                    Objects.requireNonNull(clientId, "clientId"), Objects.requireNonNull(clientSecret, "clientSecret"));
            return this;
        }

        /**
         * Accepts this static token as {@code Authorization: Bearer} (an API key), besides issued tokens.
         *
         * @param token the API key, not {@code null}; never expires and is not revoked by {@link #revokeTokens()}
         * @return this builder
         */
        public Builder apiKey(String token) {
            apiKeys.add(Objects.requireNonNull(token, "token"));
            return this;
        }

        /**
         * Whether task requests need {@code Authorization: Bearer} with an issued, unexpired token (by the
         * simulator's clock) or an {@link #apiKey(String) API key}; others get {@code 401 unauthorized}. Defaults to
         * {@code false}: the catalog endpoints declare no security of their own.
         *
         * @param required {@code true} to answer unauthenticated task requests with {@code 401}
         * @return this builder
         */
        public Builder requireAuthorization(boolean required) {
            this.requireAuthorization = required;
            return this;
        }

        /**
         * How long issued tokens live ({@code expires_in}, whole seconds). Defaults to 1 hour.
         *
         * @param lifetime the lifetime, not {@code null}; truncated to whole seconds
         * @return this builder
         * @throws IllegalArgumentException if under one second
         */
        public Builder tokenLifetime(Duration lifetime) {
            Objects.requireNonNull(lifetime, "lifetime");
            if (lifetime.getSeconds() < 1) {
                throw new IllegalArgumentException("lifetime must be at least 1 second, got " + lifetime);
            }
            this.tokenLifetime = Duration.ofSeconds(lifetime.getSeconds());
            return this;
        }

        /**
         * How many requests to keep for {@link #requests()} (the newest); 0 records none, as a benchmark wants.
         * {@link #requestCount()} counts all regardless. Defaults to 10,000 (a few MiB of heap).
         *
         * @param max how many of the newest requests to keep
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder recordRequests(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max must not be negative, got " + max);
            }
            this.recordRequests = max;
            return this;
        }

        /**
         * Binds a free port on {@code 127.0.0.1} and starts serving.
         *
         * @return a running simulator, to be {@linkplain CatalogSimulator#close() closed}
         */
        public CatalogSimulator start() {
            return new CatalogSimulator(this);
        }
    }
}
