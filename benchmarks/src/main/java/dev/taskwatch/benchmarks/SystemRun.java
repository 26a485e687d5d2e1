package dev.taskwatch.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * One run of one system, in its own JVM (started by {@link PeerComparison}): a series of identical phases, warm-up
 * phases first and the measured one last, each of them:
 *
 * <ol>
 *   <li>builds a new system (closing the previous one and waiting for its threads to end), so every phase starts
 *       without connections or pooled state and the building, connecting and closing code is as warm as the polling
 *       (closing and rebuilding a warmed system only before measuring showed a burst of deoptimisation and
 *       recompilation in the measured window). Closing on the client side works the same for all five systems;
 *       dropping connections from the server would make each first discover dead connections, which measures
 *       error handling instead;
 *   <li>takes the idle baseline: used heap after {@code System.gc()}, live threads;
 *   <li>starts the phase's watches, evenly over its ramp (all at once for none), on the run's {@link Schedule};
 *   <li>measures heap (after {@code System.gc()}) and threads with every watch in flight, when the coordinator has
 *       seen every task polled;
 *   <li>waits for the last watch to end and writes the phase's figures.
 * </ol>
 *
 * <p>The warm-up phases run the same kind of tasks at the same pace and go through the same measurements, so the JIT
 * has compiled all of it before the measured phase; their figures are logged too, which shows how far it got.
 *
 * <p>CPU is this process's CPU time ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}) from the
 * first watch's start to the last one's end, minus the CPU of the forced GCs taken to measure heap; the compiler
 * threads' share of the same window ({@link CompilerThreadCpu}) is written beside it.
 *
 * <p>Protocol (stdout → coordinator, stdin ← coordinator): {@code READY} once a phase's system is built and the
 * baseline taken, answered by {@code GO <zone> <tasks> <ramp-ms> <result-file>} once the coordinator has scripted
 * those tasks (or by {@code EXIT}); {@code HEAP} from the coordinator once every task of the phase has been polled;
 * {@code DONE} once the phase's results are written.
 */
final class SystemRun {

    private SystemRun() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        WatchSystem.Kind kind = WatchSystem.Kind.parse(a.get("system"));
        URI baseUrl = URI.create(a.get("base-url"));
        Schedule schedule = Schedule.parse(a.get("schedule"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(a.get("timeout-s")));
        String histogram = a.get("histogram");
        PrintStream stdout = System.out;
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        while (true) {
            try (WatchSystem system = kind.create(baseUrl, schedule)) {
                long baselineHeap = usedHeapAfterGc(memory);
                int baselineThreads = threads.getThreadCount();
                say(stdout, "READY");
                String line = stdin.readLine();
                if (line == null || line.equals("EXIT")) {
                    break;
                }
                String[] go = line.split(" ");
                if (!go[0].equals("GO") || go.length != 5) {
                    throw new IllegalStateException("expected GO zone tasks ramp-ms file, got " + String.join(" ", go));
                }
                String zone = go[1];
                int tasks = Integer.parseInt(go[2]);
                Duration ramp = Duration.ofMillis(Long.parseLong(go[3]));
                Path out = Path.of(go[4]);

                threads.resetPeakThreadCount();
                long cpu0 = os.getProcessCpuTime();
                long compiler0 = CompilerThreadCpu.nanos();
                long jit0 = jitMillis();
                long app0 = appThreadCpu(threads);
                Batch batch = Batch.start(system, zone, tasks, ramp);
                expect(stdin, "HEAP");
                int inFlight = batch.live.get();
                int liveThreads = threads.getThreadCount();
                long gcStart = os.getProcessCpuTime();
                long gcCompilerStart = CompilerThreadCpu.nanos();
                long heap = usedHeapAfterGc(memory);
                if (histogram != null) {
                    Files.writeString(Path.of(histogram), classHistogram(), StandardCharsets.UTF_8);
                }
                long gcCpu = os.getProcessCpuTime() - gcStart;
                long gcCompiler = CompilerThreadCpu.nanos() - gcCompilerStart;
                boolean finished = batch.await(timeout);
                long cpu = os.getProcessCpuTime() - cpu0 - gcCpu;
                long compiler = compiler0 < 0 ? -1 : CompilerThreadCpu.nanos() - compiler0 - gcCompiler;
                long jit = jitMillis() - jit0;
                long app = appThreadCpu(threads) - app0;

                Map<String, String> r = new HashMap<>();
                r.put("cpu_ns", Long.toString(cpu));
                r.put("compiler_cpu_ns", Long.toString(compiler));
                r.put("jit_ms", Long.toString(jit));
                r.put("app_thread_cpu_ns", Long.toString(app));
                r.put("heap_in_flight", Long.toString(heap));
                r.put("heap_baseline", Long.toString(baselineHeap));
                r.put("in_flight_at_heap", Integer.toString(inFlight));
                r.put("peak_live", Integer.toString(batch.peakLive.get()));
                r.put("threads", Integer.toString(liveThreads));
                r.put("threads_baseline", Integer.toString(baselineThreads));
                r.put("threads_peak", Integer.toString(threads.getPeakThreadCount()));
                r.put("threads_end", Integer.toString(threads.getThreadCount()));
                r.put("errors", Integer.toString(batch.errors.get()));
                r.put("finished", Boolean.toString(finished));
                r.put("first_error", batch.firstError.get() == null ? "" : oneLine(batch.firstError.get()));
                write(out, r, batch.completedAt);
                say(stdout, "DONE");
            }
            awaitThreadsSettled(threads);
        }
        System.exit(0);
    }

    private static void say(PrintStream stdout, String word) {
        stdout.println(word);
        stdout.flush();
    }

    private static void expect(BufferedReader stdin, String word) throws IOException {
        String line = stdin.readLine();
        if (!word.equals(line)) {
            throw new IllegalStateException("expected " + word + ", got " + line);
        }
    }

    /**
     * Waits for the closed system's threads (event loops, its executor) to end, so they are not counted with the new
     * one's: until the thread count has not changed for half a second, at most 20 s. (The SDK's Netty client blocks in
     * {@code close()} until its event loops have ended; executors' threads end within milliseconds.)
     */
    static void awaitThreadsSettled(ThreadMXBean threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int count = threads.getThreadCount();
            if (count != last) {
                last = count;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= TimeUnit.MILLISECONDS.toNanos(500)) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /**
     * CPU of the live Java threads (event loops, timers, the main thread), without the JIT compiler and GC threads;
     * threads that ended in the window are missed, so this is a lower bound shown next to the process figure.
     */
    static long appThreadCpu(ThreadMXBean threads) {
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    /** Wall time the JIT compilers spent in the window, as the JVM reports it (logged beside their CPU). */
    static long jitMillis() {
        var compilation = ManagementFactory.getCompilationMXBean();
        return compilation != null && compilation.isCompilationTimeMonitoringSupported()
                ? compilation.getTotalCompilationTime()
                : 0;
    }

    static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The top of {@code jcmd GC.class_histogram} for this JVM: what the live watches are made of. */
    static String classHistogram() throws JMException {
        Object text = ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
        String[] lines = String.valueOf(text).split("\n");
        return String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, 33))) + "\n";
    }

    private static void write(Path out, Map<String, String> results, long[] completedAt) {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : results.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
            for (int i = 0; i < completedAt.length; i++) {
                if (completedAt[i] != 0) {
                    w.write("completed." + TaskScript.id(i) + "=" + completedAt[i] + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String oneLine(Throwable t) {
        return (t.getClass().getName() + ": " + t.getMessage()).replaceAll("[\\r\\n]+", " ");
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }

    /**
     * Many watches started at an even pace over a ramp (all at once for a zero ramp), and how they ended. Plain arrays
     * and counters: at 100,000 watches a map of results would itself weigh several MiB of the measured heap.
     */
    static final class Batch {
        /** Epoch nanoseconds at which task i was reported completed; 0 while not. */
        final long[] completedAt;

        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger peakLive = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicReference<Throwable> firstError = new AtomicReference<>();
        final CountDownLatch done;

        private Batch(int n) {
            this.completedAt = new long[n];
            this.done = new CountDownLatch(n);
        }

        /** Starts {@code n} watches, the i-th at {@code i × ramp / n}; returns once the last has started. */
        static Batch start(WatchSystem system, String zone, int n, Duration ramp) {
            Batch batch = new Batch(n);
            long t0 = System.nanoTime();
            long rampNanos = ramp.toNanos();
            for (int i = 0; i < n; i++) {
                long due = t0 + rampNanos * i / n;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                batch.peakLive.accumulateAndGet(batch.live.incrementAndGet(), Math::max);
                system.watch(zone, TaskScript.id(i), batch.listener(i));
            }
            return batch;
        }

        private WatchSystem.Listener listener(int i) {
            return new WatchSystem.Listener() {
                @Override
                public void completed(Instant at) {
                    completedAt[i] = at.getEpochSecond() * 1_000_000_000L + at.getNano();
                    ended();
                }

                @Override
                public void failed(Throwable error) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, error);
                    ended();
                }
            };
        }

        private void ended() {
            live.decrementAndGet();
            done.countDown();
        }

        boolean await(Duration timeout) throws InterruptedException {
            return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
