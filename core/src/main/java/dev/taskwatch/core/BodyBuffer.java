package dev.taskwatch.core;

import java.util.Arrays;

/** Accumulates a response body chunk by chunk and refuses to grow past a cap, so no body is held unbounded. */
final class BodyBuffer {

    static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super(null, null, false, false);
        }
    }

    private final int cap;
    private byte[] bytes = new byte[0];
    private int size;

    BodyBuffer(int cap) {
        this.cap = cap;
    }

    BodyBuffer append(byte[] chunk) {
        if (chunk.length > cap - size) {
            throw new TooLargeException();
        }
        if (size + chunk.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(cap, Math.max(size + chunk.length, Math.max(256, bytes.length * 2))));
        }
        System.arraycopy(chunk, 0, bytes, size, chunk.length);
        size += chunk.length;
        return this;
    }

    byte[] toBytes() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
}
