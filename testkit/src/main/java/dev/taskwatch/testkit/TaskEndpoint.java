package dev.taskwatch.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET /zones/{zone_id}/catalog_tasks/{task_id}}: each request answered from its task's compiled script, or by
 * the {@link Fault} scripted for it ({@link Fault#serve}). Owns the scripts and the count of stalled requests.
 */
final class TaskEndpoint {

    private static final String ZONES = "/zones/";
    private static final String TASKS_SEGMENT = "/catalog_tasks/";
    /** Set on a connection by {@link Fault#closeOnReuse()}: its next request is closed on, unanswered. */
    private static final AttributeKey<Boolean> CLOSE_ON_NEXT_REQUEST = AttributeKey.valueOf("taskwatch.closeOnReuse");

    private final Clock clock;
    private final Recorder recorder;
    private final Responses responses;
    private final TokenEndpoint tokens;
    private final boolean requireAuthorization;
    /** By {@link ScriptedTask#key}: the request path after {@code /zones/}. */
    private final ConcurrentHashMap<String, ScriptedTask> tasks = new ConcurrentHashMap<>();

    private final AtomicInteger stalled = new AtomicInteger();

    TaskEndpoint(
            Clock clock, Recorder recorder, Responses responses, TokenEndpoint tokens, boolean requireAuthorization) {
        this.clock = clock;
        this.recorder = recorder;
        this.responses = responses;
        this.tokens = tokens;
        this.requireAuthorization = requireAuthorization;
    }

    /** The script of a task, made by {@code create} on first use. */
    ScriptedTask script(String zoneId, String taskId, Supplier<ScriptedTask> create) {
        return tasks.computeIfAbsent(ScriptedTask.key(zoneId, taskId), k -> create.get());
    }

    int scripts() {
        return tasks.size();
    }

    int stalledRequests() {
        return stalled.get();
    }

    /** The index of the slash before {@code catalog_tasks} in a task's path, or -1 if {@code path} is not one. */
    static int taskSlash(String path) {
        if (!path.startsWith(ZONES)) {
            return -1;
        }
        int slash = path.indexOf('/', ZONES.length());
        int taskStart = slash + TASKS_SEGMENT.length();
        return slash > ZONES.length()
                        && path.startsWith(TASKS_SEGMENT, slash)
                        && taskStart < path.length()
                        && path.indexOf('/', taskStart) < 0
                ? slash
                : -1;
    }

    /** Whether a {@link Fault#closeOnReuse()} left the connection of {@code req} to close on its next request. */
    static boolean closingOnReuse(HttpServerRequest req) {
        return channel(req).hasAttr(CLOSE_ON_NEXT_REQUEST);
    }

    /**
     * A request on a connection left to close by {@link Fault#closeOnReuse()}, for any path: read, then the connection
     * closed with no answer. A task's request still counts as that task's, so its script's request numbers stay
     * aligned.
     */
    Publisher<Void> closeOnReuse(HttpServerRequest req, String path, long now) {
        int slash = taskSlash(path);
        ScriptedTask task = slash > 0 ? tasks.get(path.substring(ZONES.length())) : null;
        if (task != null) {
            task.closedOnReuse(task.nextRequestNumber());
            recorder.record(req, now, zoneId(path, slash), taskId(path, slash), 0, Fault.closeOnReuse());
        } else {
            recorder.record(req, now, null, null, 0, Fault.closeOnReuse());
        }
        channel(req).close();
        return Mono.never();
    }

    /** Answers a task's request; {@code slash} is {@link #taskSlash(String)} of {@code path}. */
    Publisher<Void> serve(HttpServerRequest req, HttpServerResponse res, String path, int slash, long now) {
        String zoneId = zoneId(path, slash);
        String taskId = taskId(path, slash);
        if (!req.method().equals(HttpMethod.GET)) {
            recorder.record(req, now, zoneId, taskId, 405, null);
            res.header(HttpHeaderNames.ALLOW, "GET");
            return responses.error(res, 405, "method " + req.method() + " not allowed", path, now, null, null);
        }
        if (requireAuthorization && !tokens.authorized(req, now)) {
            recorder.record(req, now, zoneId, taskId, 401, null);
            res.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"keycard\"");
            return responses.error(res, 401, "a valid bearer token is required", path, now, null, null);
        }
        ScriptedTask task = tasks.get(path.substring(ZONES.length()));
        if (task == null) {
            recorder.record(req, now, zoneId, taskId, 404, null);
            return responses.error(res, 404, "catalog task not found", path, now, null, null);
        }
        Exchange x = new Exchange(req, res, task, path, now, zoneId, taskId);
        Fault fault = x.plan.faultFor(x.number);
        if (fault != null) {
            return fault.serve(x);
        }
        x.record(x.scriptedStatus(), null);
        return x.asScripted();
    }

    /** The zone id of a task's path, or null when requests are not recorded (it is then not needed). */
    private @Nullable String zoneId(String path, int slash) {
        return recorder.enabled() ? path.substring(ZONES.length(), slash) : null;
    }

    private @Nullable String taskId(String path, int slash) {
        return recorder.enabled() ? path.substring(slash + TASKS_SEGMENT.length()) : null;
    }

    private static Channel channel(HttpServerRequest req) {
        Channel[] channel = new Channel[1];
        req.withConnection(c -> channel[0] = c.channel());
        return channel[0];
    }

    /**
     * One request that reached a scripted task: its number, the script it meets, and the ways to answer it that a
     * {@link Fault} combines.
     */
    final class Exchange {
        final HttpServerRequest req;
        final HttpServerResponse res;
        final ScriptedTask task;
        final ScriptedTask.Plan plan;
        /** The request's number for its task, from 1. */
        final int number;

        final String path;
        /** When it arrived, by the simulator's clock, in epoch millis. */
        final long now;

        private final @Nullable String zoneId;
        private final @Nullable String taskId;

        private Exchange(
                HttpServerRequest req,
                HttpServerResponse res,
                ScriptedTask task,
                String path,
                long now,
                @Nullable String zoneId,
                @Nullable String taskId) {
            this.req = req;
            this.res = res;
            this.task = task;
            this.number = task.nextRequestNumber();
            this.plan = task.plan();
            this.path = path;
            this.now = now;
            this.zoneId = zoneId;
            this.taskId = taskId;
        }

        /** Records the request as answered with {@code status} ({@code 0}: none) and {@code fault}. */
        void record(int status, @Nullable Fault fault) {
            recorder.record(req, now, zoneId, taskId, status, fault);
        }

        /** Whether the script still hides the task from this request ({@link ScriptedTask#notFoundFor(int)}). */
        boolean invisible() {
            return number <= plan.notFoundFor;
        }

        /** The status of the scripted answer: a 404 while invisible, else 200, or 303 once completed. */
        int scriptedStatus() {
            return invisible() ? 404 : now >= plan.terminalFrom && plan.completes ? 303 : 200;
        }

        /** The scripted answer, as if no fault had been scripted for this request. */
        Publisher<Void> asScripted() {
            return invisible() ? notFound(now) : scripted();
        }

        /** The Task JSON the script gives at arrival: pending, running, or the terminal one (also when completed). */
        byte[] body() {
            return now < plan.runningFrom
                    ? plan.pendingBody
                    : now < plan.terminalFrom ? plan.runningBody : plan.terminalBody;
        }

        /** The body of the status before the current one, as a lagging replica reports it. */
        byte[] staleBody() {
            return now < plan.terminalFrom ? plan.pendingBody : plan.runningBody;
        }

        /** A {@code 200} with {@code body} as JSON and the hints of {@code fault}. */
        Publisher<Void> json(ByteBuf body, Fault fault) {
            return send(HttpResponseStatus.OK, body, fault, Responses.JSON);
        }

        /** A {@code 502} with an HTML body, and the hints of {@code fault}. */
        Publisher<Void> htmlBadGateway(Fault fault) {
            return send(
                    HttpResponseStatus.BAD_GATEWAY,
                    Unpooled.wrappedBuffer(ErrorBodies.HTML_BAD_GATEWAY),
                    fault,
                    Responses.HTML);
        }

        private Publisher<Void> send(HttpResponseStatus status, ByteBuf body, Fault fault, AsciiString type) {
            Responses.hints(res.responseHeaders(), fault.retryAfterSeconds, fault.retryAfterMillis);
            return Responses.body(res, status, type, body);
        }

        /** An error in the API's shape with {@code status}, and the hints of {@code fault}. */
        Publisher<Void> error(int status, String message, Fault fault) {
            return responses.error(res, status, message, path, now, fault, null);
        }

        /** Closes the connection with a TCP reset, answering nothing. */
        Publisher<Void> reset() {
            req.withConnection(c -> {
                // SO_LINGER 0 makes close() send a TCP RST: the abrupt end a crashed proxy gives.
                c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                c.channel().close();
            });
            return Mono.never();
        }

        /** Never answers; counted as stalled until the client gives up or the simulator closes the connection. */
        Publisher<Void> stallForever() {
            return stalling(Mono.never());
        }

        /**
         * Holds the request for {@code stall} of real time on the connection's event loop (no thread waits, and
         * cancelling stops it), then gives the answer the script gave at arrival.
         */
        Publisher<Void> stallThenAnswer(Duration stall) {
            boolean notFound = invisible();
            Channel channel = channel(req);
            Mono<Void> timer = Mono.create(sink -> {
                ScheduledFuture<?> f =
                        channel.eventLoop().schedule(() -> sink.success(), stall.toNanos(), TimeUnit.NANOSECONDS);
                sink.onCancel(() -> f.cancel(false));
            });
            return stalling(timer).then(Mono.defer(() -> Mono.from(notFound ? notFound(clock.millis()) : scripted())));
        }

        private Mono<Void> stalling(Mono<Void> hold) {
            return hold.doOnSubscribe(s -> stalled.incrementAndGet()).doFinally(s -> stalled.decrementAndGet());
        }

        /** Answers as scripted, then leaves the connection to close on the next request that arrives on it. */
        Publisher<Void> asScriptedThenCloseOnReuse() {
            channel(req).attr(CLOSE_ON_NEXT_REQUEST).set(Boolean.TRUE);
            return asScripted();
        }

        /**
         * Answers as scripted with {@code Connection: close}; a {@code 200} also without {@code Content-Length} or
         * chunked encoding, its body ended by the close.
         */
        Publisher<Void> asScriptedCloseDelimited() {
            res.keepAlive(false);
            if (scriptedStatus() != 200) {
                return asScripted();
            }
            res.chunkedTransfer(false)
                    .status(HttpResponseStatus.OK)
                    .responseHeaders()
                    .set(HttpHeaderNames.CONTENT_TYPE, Responses.JSON);
            Responses.hints(res.responseHeaders(), plan.hintSeconds, plan.hintMillis);
            // A Flux, not a Mono: for a Mono Reactor Netty computes a Content-Length itself.
            return res.send(Flux.just(Unpooled.wrappedBuffer(body())));
        }

        private Publisher<Void> notFound(long at) {
            return responses.error(res, 404, "catalog task not found", path, at, null, null);
        }

        /** The scripted answer of a visible task: its phase's {@code 200}, or the {@code 303} once completed. */
        private Publisher<Void> scripted() {
            HttpHeaders headers = res.responseHeaders();
            Responses.hints(headers, plan.hintSeconds, plan.hintMillis);
            if (now < plan.runningFrom) {
                return Responses.body(
                        res, HttpResponseStatus.OK, Responses.JSON, Unpooled.wrappedBuffer(plan.pendingBody));
            }
            if (now < plan.terminalFrom) {
                return Responses.body(
                        res, HttpResponseStatus.OK, Responses.JSON, Unpooled.wrappedBuffer(plan.runningBody));
            }
            task.reportedTerminal(Instant.ofEpochMilli(now));
            if (!plan.completes) {
                return Responses.body(
                        res, HttpResponseStatus.OK, Responses.JSON, Unpooled.wrappedBuffer(plan.terminalBody));
            }
            String location = Objects.requireNonNull(plan.location);
            headers.set(HttpHeaderNames.LOCATION, location).set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
            return res.status(HttpResponseStatus.SEE_OTHER).send();
        }
    }
}
