package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunks in, one body out: the same bytes however the body was split, and never more than the cap. */
class CappedBodyTest {

    private static final byte[] TASK =
            Fixtures.read("task-running-all-fields.json").getBytes(StandardCharsets.UTF_8);

    @Test
    void bodySplitAtEveryByteBoundaryDecodesTheSame() throws Exception {
        Task whole = TaskDecoder.decodeTask(TASK);
        for (long declared : new long[] {TASK.length, -1}) {
            for (int split = 0; split <= TASK.length; split++) {
                CappedBody body = new CappedBody(1024 * 1024, declared);
                append(body, direct(TASK, 0, split));
                append(body, direct(TASK, split, TASK.length - split));

                assertThat(TaskDecoder.decodeTask(body.array(), 0, body.size()))
                        .as("split at %d, declared %d", split, declared)
                        .isEqualTo(whole);
            }
        }
    }

    @Test
    void bodyInOneByteChunksDecodesTheSame() throws Exception {
        for (long declared : new long[] {TASK.length, -1}) {
            CappedBody body = new CappedBody(1024 * 1024, declared);
            for (int i = 0; i < TASK.length; i++) {
                append(body, direct(TASK, i, 1));
            }

            assertThat(Arrays.copyOf(body.array(), body.size())).isEqualTo(TASK);
            assertThat(TaskDecoder.decodeTask(body.array(), 0, body.size())).isEqualTo(TaskDecoder.decodeTask(TASK));
        }
    }

    @Test
    void chunkReadFromItsReaderIndexAndLeftUnread() {
        ByteBuf chunk = Unpooled.copiedBuffer("xx{}", StandardCharsets.US_ASCII);
        try {
            chunk.readerIndex(2);
            CappedBody body = new CappedBody(1024, -1).append(chunk);

            assertThat(new String(body.array(), 0, body.size(), StandardCharsets.US_ASCII))
                    .isEqualTo("{}");
            assertThat(chunk.readerIndex()).isEqualTo(2);
        } finally {
            chunk.release();
        }
    }

    @Test
    void bodyOfExactlyTheCapIsAcceptedAndOneByteMoreIsNot() {
        CappedBody body = new CappedBody(1024, -1);
        append(body, direct(new byte[1000], 0, 1000));
        append(body, direct(new byte[24], 0, 24));

        assertThat(body.size()).isEqualTo(1024);
        assertThatThrownBy(() -> append(body, direct(new byte[1], 0, 1)))
                .isInstanceOf(CappedBody.TooLargeException.class);
        assertThat(body.size()).isEqualTo(1024);
    }

    @Test
    void declaredLengthArrivingInOneChunkFillsOneExactArray() {
        CappedBody body = new CappedBody(1024 * 1024, TASK.length);
        append(body, direct(TASK, 0, TASK.length));

        assertThat(body.array()).hasSize(TASK.length);
    }

    @Test
    void largeDeclaredLengthIsNotAllocatedBeforeItsBytesArrive() {
        CappedBody body = new CappedBody(1024 * 1024, 1024 * 1024);
        int received = 0;
        for (int chunk : List.of(100, 900, 8192, 8192)) {
            append(body, direct(new byte[chunk], 0, chunk));
            received += chunk;

            assertThat(body.array().length)
                    .as("after %d bytes", received)
                    .isLessThanOrEqualTo(Math.max(256, 2 * received));
        }
    }

    @Test
    void emptyBodyIsEmpty() {
        assertThat(CappedBody.empty().size()).isZero();
        assertThat(new CappedBody(1024, 0).size()).isZero();
    }

    /** Appends like Reactor Netty delivers: the chunk is released once the consumer returns. */
    private static void append(CappedBody body, ByteBuf chunk) {
        try {
            body.append(chunk);
        } finally {
            chunk.release();
        }
    }

    /** A direct buffer, as Netty's pooled allocator hands out on a socket read. */
    private static ByteBuf direct(byte[] bytes, int offset, int length) {
        ByteBuf buf = Unpooled.directBuffer(Math.max(length, 1));
        buf.writeBytes(bytes, offset, length);
        return buf;
    }
}
