package dev.taskwatch.core;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Arrays;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;

/**
 * A response body, read under a size cap enforced while reading, so no body is held unbounded. Each chunk is copied
 * as it arrives, so Netty's buffer goes back to its pool as soon as {@link #append} returns and no path (error,
 * cancel, over the cap) has a buffer to release. The bytes are read in place: {@code array()[0, size())}.
 */
final class CappedBody {

    static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super(null, null, false, false);
        }
    }

    private static final byte[] NONE = new byte[0];

    private final int cap;
    private final long declared;
    private byte[] bytes = NONE;
    private int size;

    /**
     * @param cap the most bytes accepted
     * @param declared the body's declared {@code Content-Length}, or -1 when there is none
     */
    CappedBody(int cap, long declared) {
        this.cap = cap;
        this.declared = declared;
    }

    /** A body holding nothing (one that was dropped). */
    static CappedBody empty() {
        return new CappedBody(0, 0);
    }

    /**
     * The body, or a transient {@link CatalogProtocolException} as soon as it exceeds {@code cap}: a declared
     * {@code Content-Length} over the cap fails before reading, a longer stream fails at the chunk that crosses it.
     */
    static Mono<CappedBody> read(HttpHeaders headers, ByteBufFlux body, int cap, Supplier<String> context) {
        long declared = declaredLength(headers);
        if (declared > cap) {
            return Mono.error(() -> tooLarge(cap, context));
        }
        return body.reduceWith(() -> new CappedBody(cap, declared), CappedBody::append)
                .onErrorMap(TooLargeException.class, e -> tooLarge(cap, context));
    }

    /**
     * As {@link #read}, for a body that only adds detail to a status that is the answer by itself (an error status, a
     * 303): one over the cap reads as empty, so a large error page does not hide the status behind a protocol error
     * (a 403 from a proxy must stay a definite 403, not become a transient failure).
     */
    static Mono<CappedBody> readDetail(HttpHeaders headers, ByteBufFlux body, int cap) {
        return read(headers, body, cap, () -> "")
                .onErrorResume(CatalogProtocolException.class, e -> Mono.just(empty()));
    }

    /** The declared {@code Content-Length}, or -1 when there is none. */
    private static long declaredLength(HttpHeaders headers) {
        String declared = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null) {
            try {
                return Long.parseLong(declared.trim());
            } catch (NumberFormatException ignored) {
                // Netty rejects a malformed Content-Length itself; nothing to add here.
            }
        }
        return -1;
    }

    private static CatalogProtocolException tooLarge(int cap, Supplier<String> context) {
        return new CatalogProtocolException(context.get() + " with a body over the " + cap + "-byte limit", null, true);
    }

    /** Copies {@code chunk}'s readable bytes without moving its reader index. */
    CappedBody append(ByteBuf chunk) {
        int n = chunk.readableBytes();
        if (n > cap - size) {
            throw new TooLargeException();
        }
        if (n > bytes.length - size) {
            grow(size + n);
        }
        chunk.getBytes(chunk.readerIndex(), bytes, size, n);
        size += n;
        return this;
    }

    private void grow(int needed) {
        // Sized to the declared length when the bytes that arrived do not exceed it: the usual body arrives in one
        // chunk and lands in one exact array. Beyond that, doubling; either way never more than twice what arrived
        // (a large declared length is only a promise until its bytes come), and never past the cap.
        long limit = needed <= declared ? declared : cap;
        int capacity = (int) Math.min(limit, Math.max(needed, Math.max(256L, 2L * bytes.length)));
        bytes = Arrays.copyOf(bytes, capacity);
    }

    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }
}
