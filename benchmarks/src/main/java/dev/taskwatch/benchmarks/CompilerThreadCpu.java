package dev.taskwatch.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time of this JVM's JIT compiler threads (C1 and C2), read from {@code /proc/self/task} on Linux.
 * {@code ThreadMXBean} cannot give it: HotSpot hides its compiler threads from it (checked on JDK 17: they are not in
 * {@code getAllThreadIds()}). Each task's {@code comm} is the thread's name cut to 15 characters ({@code
 * "C2 CompilerThre"}); its CPU is the first field of {@code schedstat} (nanoseconds on a CPU), or {@code utime + stime}
 * of {@code stat} in clock ticks where the kernel has no schedstat.
 *
 * <p>A compiler thread that exits inside a window takes its CPU with it; the comparison starts its JVMs with {@code
 * -XX:-ReduceNumberOfCompilerThreads} so none does.
 */
final class CompilerThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    /** USER_HZ: the unit of {@code /proc} tick counts, 100 on every Linux architecture the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CompilerThreadCpu() {}

    /** Whether this platform exposes per-thread CPU in {@code /proc}; without it the column stays empty. */
    static boolean available() {
        return Files.isDirectory(TASKS);
    }

    /** CPU nanoseconds used so far by the live C1/C2 compiler threads, or -1 where {@code /proc} is missing. */
    static long nanos() {
        if (!available()) {
            return -1;
        }
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII);
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        sum += cpuNanos(task);
                    }
                } catch (NoSuchFileException exited) {
                    // The thread ended while we listed: not a compiler thread (they are kept alive, see above).
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sum;
    }

    private static long cpuNanos(Path task) throws IOException {
        Path schedstat = task.resolve("schedstat");
        if (Files.exists(schedstat)) {
            String s = Files.readString(schedstat, StandardCharsets.US_ASCII).trim();
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        }
        // stat: "pid (comm) state ..." — comm may hold spaces, so fields are counted after the last ')'.
        String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime: fields 14 and 15
        return ticks * NANOS_PER_TICK;
    }
}
