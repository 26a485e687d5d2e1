package dev.taskwatch.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

/**
 * Something going wrong with one request to a {@link ScriptedTask}: an error status, a dropped connection, a stall, a
 * broken body or a stale answer. Immutable; equal faults are {@link #equals equal}, so a
 * {@link RecordedRequest#fault()} can be compared with the fault that was scripted.
 *
 * <pre>{@code
 * sim.task("zone-1", "task-1")
 *     .fault(2, Fault.status(503).retryAfter(Duration.ofSeconds(1)))   // the 2nd request
 *     .fault(3, Fault.reset())                                          // the 3rd request
 *     .randomFaults(0.2, 42L, Fault.status(500), Fault.stall(Duration.ofMillis(200)));
 * }</pre>
 *
 * <p>Stall durations are real (wall-clock) time, measured on the connection's event loop; they do not follow the
 * simulator's {@link java.time.Clock}, because what they exercise is the client's response timeout.
 */
public final class Fault {

    /** The size of {@link #oversizedBody()}: 2 MiB, twice the client's default cap. */
    public static final int DEFAULT_OVERSIZED_BYTES = 2 * 1024 * 1024;

    enum Kind {
        STATUS,
        HTML_BAD_GATEWAY,
        RESET,
        STALL,
        MALFORMED_BODY,
        OVERSIZED_BODY,
        STALE_STATUS,
        CLOSE_ON_REUSE,
        CLOSE_DELIMITED
    }

    private static final byte[] PADDING_PREFIX = "{\"x_padding\":\"".getBytes(StandardCharsets.US_ASCII);
    /** Shared by every oversized answer, grown to the largest asked for: read-only once published. */
    private static volatile byte[] padding = new byte[0];

    private static final Fault RESET = new Fault(Kind.RESET, 0, null, 0, -1, -1);
    private static final Fault STALL_FOREVER = new Fault(Kind.STALL, 0, null, 0, -1, -1);
    private static final Fault MALFORMED = new Fault(Kind.MALFORMED_BODY, 200, null, 0, -1, -1);
    private static final Fault STALE = new Fault(Kind.STALE_STATUS, 200, null, 0, -1, -1);
    private static final Fault HTML = new Fault(Kind.HTML_BAD_GATEWAY, 502, null, 0, -1, -1);
    private static final Fault CLOSE_ON_REUSE = new Fault(Kind.CLOSE_ON_REUSE, 0, null, 0, -1, -1);
    private static final Fault CLOSE_DELIMITED = new Fault(Kind.CLOSE_DELIMITED, 0, null, 0, -1, -1);

    final Kind kind;
    final int status;
    final @Nullable Duration stall;
    final int bytes;
    final long retryAfterSeconds;
    final long retryAfterMillis;

    private Fault(
            Kind kind, int status, @Nullable Duration stall, int bytes, long retryAfterSeconds, long retryAfterMillis) {
        this.kind = kind;
        this.status = status;
        this.stall = stall;
        this.bytes = bytes;
        this.retryAfterSeconds = retryAfterSeconds;
        this.retryAfterMillis = retryAfterMillis;
    }

    /**
     * Answers with {@code status} and a body in the API's error shape, with the code the API uses for it
     * ({@code 429 rate_limit_exceeded}, {@code 503 service_unavailable}, {@code 500 internal_error}, ...).
     *
     * @param status the HTTP status, 200–599 (any code, though 4xx and 5xx are the useful ones)
     * @return a fault to give {@link ScriptedTask#fault(int, Fault)} or {@link ScriptedTask#randomFaults}
     * @throws IllegalArgumentException if {@code status} is outside 200–599
     */
    public static Fault status(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200-599, got " + status);
        }
        return new Fault(Kind.STATUS, status, null, 0, -1, -1);
    }

    /**
     * A {@code 502 Bad Gateway} with an HTML body, as a proxy in front of the API sends it.
     *
     * @return the shared fault; the client should see a transient {@code 502} without error details
     */
    public static Fault htmlBadGateway() {
        return HTML;
    }

    /**
     * Closes the connection abruptly (TCP reset) without sending any response. Recorded with status {@code 0}.
     *
     * @return the shared fault; the client should see a transport failure
     */
    public static Fault reset() {
        return RESET;
    }

    /**
     * Holds the request without answering for {@code duration} (real time), then answers as the script said when it
     * arrived (a {@code 404} within {@link ScriptedTask#notFoundFor(int)}, else the scripted status). No thread
     * waits: a timer on the connection's event loop, cancelled when the client gives up or the simulator closes.
     *
     * @param duration how long to hold the request, not {@code null}; wall-clock time, not the simulator's clock
     * @return a fault that makes a client's response timeout fire when {@code duration} exceeds it
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static Fault stall(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, got " + duration);
        }
        return new Fault(Kind.STALL, 0, duration, 0, -1, -1);
    }

    /**
     * Never answers: the request is held until the client gives up or {@link CatalogSimulator#close()} closes the
     * connection. Recorded with status {@code 0}.
     *
     * @return the shared fault; counted by {@link CatalogSimulator#stalledRequests()} while it holds a request
     */
    public static Fault stallForever() {
        return STALL_FOREVER;
    }

    /**
     * A {@code 200} whose body is the scripted Task JSON cut in half (not valid JSON).
     *
     * @return the shared fault; the client should fail with a protocol error
     */
    public static Fault malformedBody() {
        return MALFORMED;
    }

    /**
     * A {@code 200} whose body is a valid Task padded to {@link #DEFAULT_OVERSIZED_BYTES} (2 MiB) with an extra field,
     * sent with its {@code Content-Length}.
     *
     * @return a fault over the client's default 1 MiB response cap
     */
    public static Fault oversizedBody() {
        return oversizedBody(DEFAULT_OVERSIZED_BYTES);
    }

    /**
     * A {@code 200} whose body is a valid Task padded with an extra field to at least {@code bytes} bytes.
     *
     * @param bytes the smallest body size, in bytes
     * @return a fault sent with its {@code Content-Length}
     * @throws IllegalArgumentException if {@code bytes} is below 1024 or above 64 MiB
     */
    public static Fault oversizedBody(int bytes) {
        if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("bytes must be 1024 to 64 MiB, got " + bytes);
        }
        return new Fault(Kind.OVERSIZED_BODY, 200, null, bytes, -1, -1);
    }

    /**
     * A {@code 200} reporting the status before the current one, as a lagging replica might: {@code pending} while
     * running, {@code running} once completed or failed. A pending task is reported as pending.
     *
     * @return the shared fault; a watcher should not emit the older status again
     */
    public static Fault staleStatus() {
        return STALE;
    }

    /**
     * Answers as scripted and keeps the connection open, advertising keep-alive; the next request that arrives on that
     * connection — whichever task it is for — is read and the connection closed without an answer. This is the race
     * of a server that closes an idle keep-alive connection just as the client reuses it ("connection prematurely
     * closed"). The closed request is recorded with status {@code 0} and this fault; a task request among them still
     * counts as that task's (see {@link ScriptedTask#requestsClosedOnReuse()}).
     *
     * @return the shared fault
     */
    public static Fault closeOnReuse() {
        return CLOSE_ON_REUSE;
    }

    /**
     * Answers as scripted the way an HTTP/1.0 server does: {@code Connection: close}, no {@code Content-Length} and no
     * chunked encoding, the body ended by closing the connection. (The status line keeps the request's version,
     * HTTP/1.1: Reactor Netty's server answers in the version it was asked in.)
     *
     * @return the shared fault; a client should read the whole body and not reuse the connection
     */
    public static Fault closeDelimitedBody() {
        return CLOSE_DELIMITED;
    }

    /**
     * A copy that also sends {@code Retry-After} in whole seconds (rounded up) with its response. Ignored by
     * {@link #reset()} and the stalls (a stall that ends answers as scripted, with the script's hints).
     *
     * @param hint the delay to advertise, not {@code null}
     * @return a new fault; this one is unchanged
     * @throws IllegalArgumentException if {@code hint} is negative
     */
    public Fault retryAfter(Duration hint) {
        long ms = requireHint(hint).toMillis();
        return new Fault(kind, status, stall, bytes, (ms + 999) / 1000, retryAfterMillis);
    }

    /**
     * A copy that also sends {@code retry-after-ms} with its response.
     *
     * @param hint the delay to advertise, not {@code null}; sent in whole milliseconds (truncated)
     * @return a new fault; this one is unchanged
     * @throws IllegalArgumentException if {@code hint} is negative
     */
    public Fault retryAfterMillis(Duration hint) {
        return new Fault(
                kind, status, stall, bytes, retryAfterSeconds, requireHint(hint).toMillis());
    }

    /**
     * The HTTP status this fault answers with, or {@code 0} when it sends none (reset, stall) or answers as scripted
     * ({@link #closeOnReuse()}, {@link #closeDelimitedBody()}).
     *
     * @return the status, or {@code 0}
     */
    public int httpStatus() {
        return status;
    }

    /**
     * Answers {@code x} the way this fault goes wrong, recording the request with the status it gets ({@code 0}:
     * none). The simulator's task endpoint calls this for a request its script faults.
     */
    Publisher<Void> serve(TaskEndpoint.Exchange x) {
        switch (kind) {
            case STATUS -> {
                x.record(status, this);
                return x.error(status, "simulated " + status, this);
            }
            case HTML_BAD_GATEWAY -> {
                x.record(502, this);
                return x.htmlBadGateway(this);
            }
            case RESET -> {
                x.record(0, this);
                return x.reset();
            }
            case STALL -> {
                if (stall == null) {
                    x.record(0, this);
                    return x.stallForever();
                }
                x.record(x.scriptedStatus(), this);
                return x.stallThenAnswer(stall);
            }
            case MALFORMED_BODY -> {
                x.record(200, this);
                byte[] body = x.body();
                return x.json(Unpooled.wrappedBuffer(body, 0, body.length / 2), this);
            }
            case OVERSIZED_BODY -> {
                x.record(200, this);
                return x.json(padded(x.body(), bytes), this);
            }
            case STALE_STATUS -> {
                x.record(200, this);
                return x.json(Unpooled.wrappedBuffer(x.staleBody()), this);
            }
            case CLOSE_ON_REUSE -> {
                x.record(x.scriptedStatus(), this);
                return x.asScriptedThenCloseOnReuse();
            }
            case CLOSE_DELIMITED -> {
                x.record(x.scriptedStatus(), this);
                return x.asScriptedCloseDelimited();
            }
        }
        throw new IllegalStateException("unhandled fault " + this);
    }

    /** {@code {"x_padding":"xxx…",<the task's fields>}}: valid JSON of exactly {@code size} bytes (or the task's). */
    private static ByteBuf padded(byte[] task, int size) {
        int pad = Math.max(0, size - task.length - PADDING_PREFIX.length - 1);
        byte[] p = padding;
        if (p.length < pad) {
            p = new byte[pad];
            Arrays.fill(p, (byte) 'x');
            padding = p;
        }
        return Unpooled.wrappedBuffer(
                Unpooled.wrappedBuffer(PADDING_PREFIX),
                Unpooled.wrappedBuffer(p, 0, pad),
                Unpooled.wrappedBuffer(new byte[] {'"', ','}),
                Unpooled.wrappedBuffer(task, 1, task.length - 1));
    }

    static Duration requireHint(Duration hint) {
        Objects.requireNonNull(hint, "hint");
        if (hint.isNegative()) {
            throw new IllegalArgumentException("hint must not be negative, got " + hint);
        }
        return hint;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Fault f
                && kind == f.kind
                && status == f.status
                && Objects.equals(stall, f.stall)
                && bytes == f.bytes
                && retryAfterSeconds == f.retryAfterSeconds
                && retryAfterMillis == f.retryAfterMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, status, stall, bytes, retryAfterSeconds, retryAfterMillis);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Fault.");
        switch (kind) {
            case STATUS -> sb.append("status(").append(status).append(')');
            case HTML_BAD_GATEWAY -> sb.append("htmlBadGateway()");
            case RESET -> sb.append("reset()");
            case STALL -> sb.append(stall == null ? "stallForever()" : "stall(" + stall + ")");
            case MALFORMED_BODY -> sb.append("malformedBody()");
            case OVERSIZED_BODY -> sb.append("oversizedBody(").append(bytes).append(')');
            case STALE_STATUS -> sb.append("staleStatus()");
            case CLOSE_ON_REUSE -> sb.append("closeOnReuse()");
            case CLOSE_DELIMITED -> sb.append("closeDelimitedBody()");
        }
        if (retryAfterSeconds >= 0) {
            sb.append(".retryAfter(").append(retryAfterSeconds).append("s)");
        }
        if (retryAfterMillis >= 0) {
            sb.append(".retryAfterMillis(").append(retryAfterMillis).append("ms)");
        }
        return sb.toString();
    }
}
