package dev.taskwatch.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * How every endpoint of the simulator sends an answer: a body with its {@code Content-Length}, the API's error shape
 * with a fresh {@code x-request-id}, and the retry hints.
 */
final class Responses {

    static final AsciiString JSON = AsciiString.cached("application/json");
    static final AsciiString HTML = AsciiString.cached("text/html; charset=utf-8");
    private static final AsciiString RETRY_AFTER_MS = AsciiString.cached("retry-after-ms");
    private static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

    private final AtomicLong requestIds = new AtomicLong();

    /**
     * An error in the API's shape, with the code the API uses for {@code status}, and the hints of {@code hints} if
     * given; {@code oauthError} adds the RFC 6749 fields a token endpoint answers with.
     */
    Publisher<Void> error(
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
        return body(res, HttpResponseStatus.valueOf(status), JSON, Unpooled.wrappedBuffer(body));
    }

    /** {@code body} as the whole answer, with its length. */
    static Publisher<Void> body(
            HttpServerResponse res, HttpResponseStatus status, AsciiString contentType, ByteBuf body) {
        res.status(status)
                .responseHeaders()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return res.send(Mono.just(body));
    }

    /** {@code Retry-After} in seconds and {@code retry-after-ms}, each only when not negative. */
    static void hints(HttpHeaders headers, long seconds, long millis) {
        if (seconds >= 0) {
            headers.set(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds));
        }
        if (millis >= 0) {
            headers.set(RETRY_AFTER_MS, Long.toString(millis));
        }
    }
}
