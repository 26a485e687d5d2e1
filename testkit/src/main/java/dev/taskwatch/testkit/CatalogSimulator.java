package dev.taskwatch.testkit;

import dev.taskwatch.core.CatalogTasksClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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

    private static final AsciiString JSON = AsciiString.cached("application/json");
    private static final AsciiString HTML = AsciiString.cached("text/html; charset=utf-8");
    private static final AsciiString RETRY_AFTER_MS = AsciiString.cached("retry-after-ms");
    private static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    /** Set on a connection by {@link Fault#closeOnReuse()}: its next request is closed on, unanswered. */
    private static final AttributeKey<Boolean> CLOSE_ON_NEXT_REQUEST = AttributeKey.valueOf("taskwatch.closeOnReuse");

    private static final String TOKEN_PATH = "/service-account-token";
    private static final String TASKS_SEGMENT = "/catalog_tasks/";
    private static final byte[] PADDING_PREFIX = "{\"x_padding\":\"".getBytes(StandardCharsets.US_ASCII);
    private static volatile byte[] padding = new byte[0];

    private final Clock clock;
    private final Recorder recorder;
    private final Map<String, String> clients;
    private final Set<String> apiKeys;
    private final boolean requireAuthorization;
    private final Duration tokenLifetime;
    private final ConcurrentHashMap<String, ScriptedTask> tasks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicInteger stalled = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ChannelGroup channels = new DefaultChannelGroup("catalog-simulator", ImmediateEventExecutor.INSTANCE);
    private final LoopResources loops;
    private final DisposableServer server;
    private final URI baseUrl;
    private final String base;

    private CatalogSimulator(Builder b) {
        this.clock = b.clock;
        this.recorder = new Recorder(b.recordRequests);
        this.clients = Map.copyOf(b.clients);
        this.apiKeys = Set.copyOf(b.apiKeys);
        this.requireAuthorization = b.requireAuthorization;
        this.tokenLifetime = b.tokenLifetime;
        // Its own event loops: the client under test keeps its own, and close() can stop ours without touching it.
        this.loops = LoopResources.create(
                "catalog-simulator", 1, Math.max(2, Runtime.getRuntime().availableProcessors()), true);
        try {
            this.server = HttpServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .runOn(loops)
                    .doOnConnection(c -> channels.add(c.channel()))
                    .handle(this::handle)
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            loops.dispose();
            throw e;
        }
        this.base = "http://127.0.0.1:" + server.port();
        this.baseUrl = URI.create(base);
    }

    /** Starts a simulator with the defaults described on {@link Builder}. */
    public static CatalogSimulator start() {
        return builder().start();
    }

    /** A builder for a simulator with a custom clock, OAuth2 settings or request recording. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL to give the client under test, such as {@code http://127.0.0.1:54321}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The clock the scripts follow and requests are timed by. */
    public Clock clock() {
        return clock;
    }

    /**
     * The script of a task, created on first use (the task's {@code created_at} is then the clock's current time,
     * to the millisecond); later calls for the same ids return the same script.
     *
     * @throws IllegalArgumentException if an id is not 1–128 characters of {@code [A-Za-z0-9._~-]}
     */
    public ScriptedTask task(String zoneId, String taskId) {
        CatalogTasksClient.requireValidId(zoneId, "zoneId");
        CatalogTasksClient.requireValidId(taskId, "taskId");
        return tasks.computeIfAbsent(
                ScriptedTask.key(zoneId, taskId),
                k -> new ScriptedTask(this, zoneId, taskId, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }

    /** The recorded requests, oldest first (the newest {@link Builder#recordRequests(int)} of them). */
    public List<RecordedRequest> requests() {
        return recorder.snapshot();
    }

    /** The recorded requests for one task, oldest first. */
    public List<RecordedRequest> requests(String zoneId, String taskId) {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(taskId, "taskId");
        return recorder.snapshot(zoneId, taskId);
    }

    /** How many requests arrived, of any kind, recorded or not, since start or {@link #clearRequests()}. */
    public long requestCount() {
        return recorder.total();
    }

    /** Forgets the recorded requests and resets {@link #requestCount()}; task scripts and their counts stay. */
    public void clearRequests() {
        recorder.clear();
    }

    /** How many OAuth2 access tokens were issued. */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** Invalidates every issued token, as if revoked: the next task request with one gets {@code 401}. */
    public void revokeTokens() {
        tokens.clear();
    }

    /** How many requests are being held by a stall right now. */
    int stalledRequests() {
        return stalled.get();
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
        return "CatalogSimulator{" + base + ", tasks=" + tasks.size() + ", requests=" + recorder.total() + "}";
    }

    // ---------------------------------------------------------------- request handling

    private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        long now = clock.millis();
        recorder.count();
        String uri = req.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        Channel channel = channel(req);
        if (channel.hasAttr(CLOSE_ON_NEXT_REQUEST)) {
            return closeOnReuse(req, channel, path, now);
        }
        int slash = taskSlash(path);
        if (slash > 0) {
            return taskRequest(req, res, path, slash, now);
        }
        if (path.equals(TOKEN_PATH)) {
            return tokenRequest(req, res, path, now);
        }
        record(req, now, null, null, 404, null);
        return sendError(res, 404, "no such resource: " + path, path, now, null, null);
    }

    /** The index of the slash before {@code catalog_tasks} in a task's path, or -1 if {@code path} is not one. */
    private static int taskSlash(String path) {
        if (!path.startsWith("/zones/")) {
            return -1;
        }
        int slash = path.indexOf('/', 7);
        int taskStart = slash + TASKS_SEGMENT.length();
        return slash > 7
                        && path.startsWith(TASKS_SEGMENT, slash)
                        && taskStart < path.length()
                        && path.indexOf('/', taskStart) < 0
                ? slash
                : -1;
    }

    /**
     * A request on a connection left to close by {@link Fault#closeOnReuse()}: read, then the connection closed with
     * no answer. A task's request still counts as that task's, so its script's request numbers stay aligned.
     */
    private Publisher<Void> closeOnReuse(HttpServerRequest req, Channel channel, String path, long now) {
        int slash = taskSlash(path);
        ScriptedTask task = slash > 0 ? tasks.get(path.substring(7)) : null;
        if (task != null) {
            task.closedOnReuse(task.nextRequestNumber());
            boolean named = recorder.enabled();
            record(
                    req,
                    now,
                    named ? path.substring(7, slash) : null,
                    named ? path.substring(slash + TASKS_SEGMENT.length()) : null,
                    0,
                    Fault.closeOnReuse());
        } else {
            record(req, now, null, null, 0, Fault.closeOnReuse());
        }
        channel.close();
        return Mono.never();
    }

    private Publisher<Void> taskRequest(
            HttpServerRequest req, HttpServerResponse res, String path, int slash, long now) {
        String zoneId = recorder.enabled() ? path.substring(7, slash) : null;
        String taskId = recorder.enabled() ? path.substring(slash + TASKS_SEGMENT.length()) : null;
        if (!req.method().equals(HttpMethod.GET)) {
            record(req, now, zoneId, taskId, 405, null);
            res.header(HttpHeaderNames.ALLOW, "GET");
            return sendError(res, 405, "method " + req.method() + " not allowed", path, now, null, null);
        }
        if (requireAuthorization && !authorized(req, now)) {
            record(req, now, zoneId, taskId, 401, null);
            res.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"keycard\"");
            return sendError(res, 401, "a valid bearer token is required", path, now, null, null);
        }
        ScriptedTask task = tasks.get(path.substring(7));
        if (task == null) {
            record(req, now, zoneId, taskId, 404, null);
            return sendError(res, 404, "catalog task not found", path, now, null, null);
        }
        int n = task.nextRequestNumber();
        ScriptedTask.Plan plan = task.plan();
        Fault fault = plan.faultFor(n);
        if (fault != null) {
            return fault(req, res, task, plan, fault, n, path, now, zoneId, taskId);
        }
        if (n <= plan.notFoundFor) {
            record(req, now, zoneId, taskId, 404, null);
            return sendError(res, 404, "catalog task not found", path, now, null, null);
        }
        record(req, now, zoneId, taskId, scriptedStatus(plan, now), null);
        return sendScripted(res, task, plan, now);
    }

    private static int scriptedStatus(ScriptedTask.Plan plan, long now) {
        return now >= plan.terminalFrom && plan.completes ? 303 : 200;
    }

    private Publisher<Void> sendScripted(HttpServerResponse res, ScriptedTask task, ScriptedTask.Plan plan, long now) {
        HttpHeaders headers = res.responseHeaders();
        hints(headers, plan.hintSeconds, plan.hintMillis);
        if (now < plan.runningFrom) {
            return sendBody(res, HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(plan.pendingBody));
        }
        if (now < plan.terminalFrom) {
            return sendBody(res, HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(plan.runningBody));
        }
        task.reportedTerminal(Instant.ofEpochMilli(now));
        if (!plan.completes) {
            return sendBody(res, HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(plan.terminalBody));
        }
        String location = Objects.requireNonNull(plan.location);
        headers.set(HttpHeaderNames.LOCATION, location).set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
        return res.status(HttpResponseStatus.SEE_OTHER).send();
    }

    private static byte[] currentBody(ScriptedTask.Plan plan, long now) {
        return now < plan.runningFrom
                ? plan.pendingBody
                : now < plan.terminalFrom ? plan.runningBody : plan.terminalBody;
    }

    private Publisher<Void> fault(
            HttpServerRequest req,
            HttpServerResponse res,
            ScriptedTask task,
            ScriptedTask.Plan plan,
            Fault fault,
            int n,
            String path,
            long now,
            @Nullable String zoneId,
            @Nullable String taskId) {
        switch (fault.kind) {
            case STATUS -> {
                record(req, now, zoneId, taskId, fault.status, fault);
                return sendError(res, fault.status, "simulated " + fault.status, path, now, fault, null);
            }
            case HTML_BAD_GATEWAY -> {
                record(req, now, zoneId, taskId, 502, fault);
                hints(res.responseHeaders(), fault.retryAfterSeconds, fault.retryAfterMillis);
                return sendBody(
                        res,
                        HttpResponseStatus.BAD_GATEWAY,
                        HTML,
                        Unpooled.wrappedBuffer(ErrorBodies.HTML_BAD_GATEWAY));
            }
            case RESET -> {
                record(req, now, zoneId, taskId, 0, fault);
                req.withConnection(c -> {
                    // SO_LINGER 0 makes close() send a TCP RST: the abrupt end a crashed proxy gives.
                    c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    c.channel().close();
                });
                return Mono.never();
            }
            case STALL -> {
                Duration stall = fault.stall;
                if (stall == null) {
                    record(req, now, zoneId, taskId, 0, fault);
                    // Released when the client gives up or close() closes the connection: both cancel this.
                    return Mono.<Void>never()
                            .doOnSubscribe(s -> stalled.incrementAndGet())
                            .doFinally(s -> stalled.decrementAndGet());
                }
                boolean notFound = n <= plan.notFoundFor;
                record(req, now, zoneId, taskId, notFound ? 404 : scriptedStatus(plan, now), fault);
                return timer(req, stall)
                        .doOnSubscribe(s -> stalled.incrementAndGet())
                        .doFinally(s -> stalled.decrementAndGet())
                        .then(Mono.defer(() -> {
                            long later = clock.millis();
                            return Mono.from(
                                    notFound
                                            ? sendError(res, 404, "catalog task not found", path, later, null, null)
                                            : sendScripted(res, task, plan, now));
                        }));
            }
            case MALFORMED_BODY -> {
                record(req, now, zoneId, taskId, 200, fault);
                hints(res.responseHeaders(), fault.retryAfterSeconds, fault.retryAfterMillis);
                byte[] body = currentBody(plan, now);
                return sendBody(res, HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(body, 0, body.length / 2));
            }
            case OVERSIZED_BODY -> {
                record(req, now, zoneId, taskId, 200, fault);
                hints(res.responseHeaders(), fault.retryAfterSeconds, fault.retryAfterMillis);
                return sendBody(res, HttpResponseStatus.OK, JSON, oversized(currentBody(plan, now), fault.bytes));
            }
            case CLOSE_ON_REUSE -> {
                record(req, now, zoneId, taskId, answered(plan, n, now), fault);
                channel(req).attr(CLOSE_ON_NEXT_REQUEST).set(Boolean.TRUE);
                return answer(res, task, plan, n, path, now);
            }
            case CLOSE_DELIMITED -> {
                int status = answered(plan, n, now);
                record(req, now, zoneId, taskId, status, fault);
                res.keepAlive(false);
                if (status != 200) {
                    return answer(res, task, plan, n, path, now);
                }
                // A Flux, not a Mono: for a Mono Reactor Netty computes a Content-Length itself.
                res.chunkedTransfer(false)
                        .status(HttpResponseStatus.OK)
                        .responseHeaders()
                        .set(HttpHeaderNames.CONTENT_TYPE, JSON);
                hints(res.responseHeaders(), plan.hintSeconds, plan.hintMillis);
                return res.send(Flux.just(Unpooled.wrappedBuffer(currentBody(plan, now))));
            }
            case STALE_STATUS -> {
                record(req, now, zoneId, taskId, 200, fault);
                hints(res.responseHeaders(), fault.retryAfterSeconds, fault.retryAfterMillis);
                byte[] body = now < plan.terminalFrom ? plan.pendingBody : plan.runningBody;
                return sendBody(res, HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(body));
            }
        }
        throw new IllegalStateException("unhandled fault " + fault);
    }

    /** The status of the scripted answer to request {@code n}: a 404 while invisible, else 200 or 303. */
    private static int answered(ScriptedTask.Plan plan, int n, long now) {
        return n <= plan.notFoundFor ? 404 : scriptedStatus(plan, now);
    }

    /** The scripted answer to request {@code n}, as if no fault had been scripted for it. */
    private Publisher<Void> answer(
            HttpServerResponse res, ScriptedTask task, ScriptedTask.Plan plan, int n, String path, long now) {
        return n <= plan.notFoundFor
                ? sendError(res, 404, "catalog task not found", path, now, null, null)
                : sendScripted(res, task, plan, now);
    }

    private static Channel channel(HttpServerRequest req) {
        Channel[] channel = new Channel[1];
        req.withConnection(c -> channel[0] = c.channel());
        return channel[0];
    }

    /** Completes after {@code delay} on the connection's event loop: no thread waits, and cancelling stops it. */
    private static Mono<Void> timer(HttpServerRequest req, Duration delay) {
        Channel channel = channel(req);
        return Mono.create(sink -> {
            ScheduledFuture<?> f =
                    channel.eventLoop().schedule(() -> sink.success(), delay.toNanos(), TimeUnit.NANOSECONDS);
            sink.onCancel(() -> f.cancel(false));
        });
    }

    /** {@code {"x_padding":"xxx…",<the task's fields>}}: valid JSON of exactly {@code size} bytes (or the task's). */
    private static ByteBuf oversized(byte[] task, int size) {
        int pad = Math.max(0, size - task.length - PADDING_PREFIX.length - 1);
        byte[] p = padding;
        if (p.length < pad) {
            p = new byte[pad];
            java.util.Arrays.fill(p, (byte) 'x');
            padding = p;
        }
        return Unpooled.wrappedBuffer(
                Unpooled.wrappedBuffer(PADDING_PREFIX),
                Unpooled.wrappedBuffer(p, 0, pad),
                Unpooled.wrappedBuffer(new byte[] {'"', ','}),
                Unpooled.wrappedBuffer(task, 1, task.length - 1));
    }

    private static void hints(HttpHeaders headers, long seconds, long millis) {
        if (seconds >= 0) {
            headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds));
        }
        if (millis >= 0) {
            headers.set(RETRY_AFTER_MS, Long.toString(millis));
        }
    }

    private static Publisher<Void> sendBody(
            HttpServerResponse res, HttpResponseStatus status, AsciiString contentType, ByteBuf body) {
        res.status(status)
                .responseHeaders()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return res.send(Mono.just(body));
    }

    private Publisher<Void> sendError(
            HttpServerResponse res,
            int status,
            String message,
            String path,
            long now,
            @Nullable Fault hints,
            @Nullable String oauthError) {
        String requestId = "sim-" + Long.toHexString(requestIds.incrementAndGet());
        byte[] body = ErrorBodies.error(
                status, ErrorBodies.codeFor(status), message, path, requestId, Instant.ofEpochMilli(now), oauthError);
        res.responseHeaders().set(X_REQUEST_ID, requestId);
        if (hints != null) {
            hints(res.responseHeaders(), hints.retryAfterSeconds, hints.retryAfterMillis);
        }
        return sendBody(res, HttpResponseStatus.valueOf(status), JSON, Unpooled.wrappedBuffer(body));
    }

    private void record(
            HttpServerRequest req,
            long now,
            @Nullable String zoneId,
            @Nullable String taskId,
            int status,
            @Nullable Fault fault) {
        if (!recorder.enabled()) {
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : req.requestHeaders()) {
            headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b);
        }
        recorder.add(new RecordedRequest(
                Instant.ofEpochMilli(now), req.method().name(), req.uri(), headers, zoneId, taskId, status, fault));
    }

    // ---------------------------------------------------------------- OAuth2

    private boolean authorized(HttpServerRequest req, long now) {
        String header = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String token = header.substring(7).trim();
        if (apiKeys.contains(token)) {
            return true;
        }
        Long expiry = tokens.get(token);
        return expiry != null && now < expiry;
    }

    private Publisher<Void> tokenRequest(HttpServerRequest req, HttpServerResponse res, String path, long now) {
        if (!req.method().equals(HttpMethod.POST)) {
            record(req, now, null, null, 405, null);
            res.header(HttpHeaderNames.ALLOW, "POST");
            return sendError(res, 405, "method " + req.method() + " not allowed", path, now, null, null);
        }
        return req.receive()
                .aggregate()
                .asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .flatMap(body -> Mono.from(issueToken(req, res, path, body, now)));
    }

    private Publisher<Void> issueToken(
            HttpServerRequest req, HttpServerResponse res, String path, String body, long now) {
        String[] client = basicCredentials(req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
        if (client == null || !acceptedClient(client[0], client[1])) {
            record(req, now, null, null, 401, null);
            res.header(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"keycard\"");
            return sendError(res, 401, "client authentication failed", path, now, null, "invalid_client");
        }
        String grantType = formValue(body, "grant_type");
        if (!"client_credentials".equals(grantType)) {
            record(req, now, null, null, 400, null);
            return sendError(
                    res,
                    400,
                    grantType == null ? "grant_type is required" : "unsupported grant_type",
                    path,
                    now,
                    null,
                    grantType == null ? "invalid_request" : "unsupported_grant_type");
        }
        // Not a secret anyone needs to guess: ThreadLocalRandom keeps SecureRandom's blocking reads off the event loop.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String token = "sim-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        long lifetime = tokenLifetime.getSeconds();
        tokens.put(token, now + tokenLifetime.toMillis());
        tokensIssued.incrementAndGet();
        record(req, now, null, null, 200, null);
        byte[] json = ("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + lifetime + "}")
                .getBytes(StandardCharsets.US_ASCII);
        res.responseHeaders().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return sendBody(res, HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(json));
    }

    private boolean acceptedClient(String id, String secret) {
        if (clients.isEmpty()) {
            return !id.isEmpty() && !secret.isEmpty();
        }
        return secret.equals(clients.get(id));
    }

    /** {@code [id, secret]} from {@code Basic base64(urlencode(id):urlencode(secret))}, or null. */
    static String @Nullable [] basicCredentials(@Nullable String header) {
        if (header == null || header.length() <= 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static @Nullable String formValue(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
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
        private final java.util.Set<String> apiKeys = new java.util.LinkedHashSet<>();
        private boolean requireAuthorization;
        private Duration tokenLifetime = Duration.ofHours(1);
        private int recordRequests = 10_000;

        Builder() {}

        /** The clock scripts follow and requests are timed by. Defaults to {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Accepts this OAuth2 client at {@code POST /service-account-token}. Defaults to none registered, in which
         * case any non-empty client id and secret are accepted; once one is registered, only registered ones are.
         */
        public Builder client(String clientId, String clientSecret) {
            clients.put(
                    Objects.requireNonNull(clientId, "clientId"), Objects.requireNonNull(clientSecret, "clientSecret"));
            return this;
        }

        /** Accepts this static token as {@code Authorization: Bearer} (an API key), besides issued tokens. */
        public Builder apiKey(String token) {
            apiKeys.add(Objects.requireNonNull(token, "token"));
            return this;
        }

        /**
         * Whether task requests need {@code Authorization: Bearer} with an issued, unexpired token (by the
         * simulator's clock) or an {@link #apiKey(String) API key}; others get {@code 401 unauthorized}. Defaults to
         * {@code false}: the catalog endpoints declare no security of their own.
         */
        public Builder requireAuthorization(boolean required) {
            this.requireAuthorization = required;
            return this;
        }

        /**
         * How long issued tokens live ({@code expires_in}, whole seconds). Defaults to 1 hour.
         *
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
         * @throws IllegalArgumentException if negative
         */
        public Builder recordRequests(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max must not be negative, got " + max);
            }
            this.recordRequests = max;
            return this;
        }

        /** Binds a free port on {@code 127.0.0.1} and starts serving. */
        public CatalogSimulator start() {
            return new CatalogSimulator(this);
        }
    }
}
