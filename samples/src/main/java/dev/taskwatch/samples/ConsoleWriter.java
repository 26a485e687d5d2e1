package dev.taskwatch.samples;

import java.io.PrintStream;
import java.io.Writer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * All of a command's output, written in order by one thread of its own. Writing to a terminal or a pipe can block (a
 * full pipe, a paused terminal); the callers — the main thread, the status-line ticker, and a retry diagnostic on a
 * Netty event loop — hand their text over without waiting, and it comes out in the order they handed it over, on
 * both streams.
 */
final class ConsoleWriter implements AutoCloseable {

    /** How long {@link #close()} waits for the text handed over so far to be written. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private record Chunk(PrintStream stream, String text) {}

    private final PrintStream out;
    private final PrintStream err;
    private final Queue<Chunk> queue = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private volatile boolean closing;

    ConsoleWriter(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        this.writer = new Thread(this::writeUntilClosed, "taskwatch-output");
        writer.setDaemon(true); // a stuck terminal must not keep the process alive
        writer.start();
    }

    /** {@code text} on standard output as it is, without a line break (the live status line). */
    void out(String text) {
        offer(out, text);
    }

    /** One line on standard output. */
    void outLine(String line) {
        offer(out, line + System.lineSeparator());
    }

    /** One line on standard error. */
    void errLine(String line) {
        offer(err, line + System.lineSeparator());
    }

    /** A writer onto standard output or error through this one, for picocli's help and usage messages. */
    Writer writer(boolean toErr) {
        PrintStream target = toErr ? err : out;
        return new Writer() {
            @Override
            public void write(char[] chars, int offset, int length) {
                offer(target, new String(chars, offset, length));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
    }

    /**
     * Writes what was handed over before this call, then stops the writer thread; waits for that at most 10 s. Text
     * handed over afterwards is dropped. Safe to call more than once and from any thread but the writer's.
     */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void offer(PrintStream stream, String text) {
        if (!closing) {
            queue.add(new Chunk(stream, text)); // lock-free: never blocks the caller, on an event loop least of all
            LockSupport.unpark(writer);
        }
    }

    private void writeUntilClosed() {
        while (true) {
            // Read before draining: everything offered before close() is in the queue by now and gets written.
            boolean last = closing;
            PrintStream current = null;
            for (Chunk c; (c = queue.poll()) != null; ) {
                if (current != null && current != c.stream()) {
                    // Flushed before the other stream is written, so a terminal shows both in the order given.
                    current.flush();
                }
                current = c.stream();
                current.print(c.text());
            }
            if (current != null) {
                current.flush();
            }
            if (last) {
                return;
            }
            LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
        }
    }
}
