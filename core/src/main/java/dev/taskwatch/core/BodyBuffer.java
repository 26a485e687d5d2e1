package dev.taskwatch.core;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Accumulates a response body chunk by chunk and refuses to grow past a cap, so no body is held unbounded. Each chunk
 * is copied as it arrives, so Netty's buffer goes back to its pool as soon as {@link #append} returns and no path
 * (error, cancel, over the cap) has a buffer to release. The bytes are read in place: {@code array()[0, size())}.
 */
final class BodyBuffer {

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
    BodyBuffer(int cap, long declared) {
        this.cap = cap;
        this.declared = declared;
    }

    /** A buffer holding nothing (a body that was dropped). */
    static BodyBuffer empty() {
        return new BodyBuffer(0, 0);
    }

    /** Copies {@code chunk}'s readable bytes without moving its reader index. */
    BodyBuffer append(ByteBuf chunk) {
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
