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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One measured run of one system, in its own JVM (started by {@link PeerComparison}): warm up, take the idle
 * baseline, wait for {@code GO} on stdin, start all watches at once, measure heap and threads with every watch in
 * flight, wait for all to finish, and write the figures to {@code --out}.
 *
 * <p>CPU is this process's CPU time ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}) from
 * {@code GO} to the last watch's end, minus the CPU of the forced GCs taken to measure heap. Heap is the used heap
 * after {@code System.gc()} with all watches in flight, minus the same after warm-up with none.
 *
 * <p>Protocol: {@code WARM} on stdout once the system is built, answered by {@code GO} on stdin once the warm-up
 * tasks are scripted; {@code READY} once warmed up and the baseline is taken, answered by {@code GO} once the
 * measured tasks are scripted; {@code DONE} once the results are written.
 */
final class SystemRun {

    private SystemRun() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        WatchSystem.Kind kind = WatchSystem.Kind.parse(a.get("system"));
        URI baseUrl = URI.create(a.get("base-url"));
        String zone = a.get("zone");
        int tasks = Integer.parseInt(a.get("tasks"));
        String warmZone = a.get("warmup-zone");
        int warmTasks = Integer.parseInt(a.get("warmup-tasks"));
        int warmPhases = Integer.parseInt(a.get("warmup-phases"));
        Duration settle = Duration.ofMillis(Long.parseLong(a.get("settle-ms")));
        Duration timeout = Duration.ofSeconds(Long.parseLong(a.get("timeout-s")));
        Path out = Path.of(a.get("out"));
        PrintStream stdout = System.out;
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        try (WatchSystem system = kind.create(baseUrl)) {
            for (int phase = 1; phase <= warmPhases; phase++) {
                stdout.println("WARM");
                stdout.flush();
                awaitGo(stdin);
                if (warmTasks > 0) {
                    Batch warm = Batch.start(system, warmZone + "-" + phase, "warm-", warmTasks);
                    warm.await(timeout);
                }
            }
            long baselineHeap = usedHeapAfterGc(memory);
            int baselineThreads = threads.getThreadCount();
            stdout.println("READY");
            stdout.flush();
            awaitGo(stdin);

            long cpu0 = os.getProcessCpuTime();
            long jit0 = jitMillis();
            long app0 = appThreadCpu(threads);
            Batch batch = Batch.start(system, zone, "task-", tasks);
            Thread.sleep(settle.toMillis());
            int inFlight = tasks - batch.ended();
            int liveThreads = threads.getThreadCount();
            long gcStart = os.getProcessCpuTime();
            long heap = usedHeapAfterGc(memory);
            long gcCpu = os.getProcessCpuTime() - gcStart;
            boolean finished = batch.await(timeout);
            long cpu = os.getProcessCpuTime() - cpu0 - gcCpu;
            long jit = jitMillis() - jit0;
            long app = appThreadCpu(threads) - app0;

            Map<String, String> r = new HashMap<>();
            r.put("cpu_ns", Long.toString(cpu));
            r.put("jit_ms", Long.toString(jit));
            r.put("app_thread_cpu_ns", Long.toString(app));
            r.put("heap_in_flight", Long.toString(heap));
            r.put("heap_baseline", Long.toString(baselineHeap));
            r.put("in_flight_at_heap", Integer.toString(inFlight));
            r.put("threads", Integer.toString(liveThreads));
            r.put("threads_baseline", Integer.toString(baselineThreads));
            r.put("threads_peak", Integer.toString(threads.getPeakThreadCount()));
            r.put("errors", Integer.toString(batch.errors.get()));
            r.put("finished", Boolean.toString(finished));
            r.put("first_error", batch.firstError.get() == null ? "" : oneLine(batch.firstError.get()));
            write(out, r, batch.completedAt);
            stdout.println("DONE");
            stdout.flush();
        }
        System.exit(0);
    }

    private static void awaitGo(BufferedReader stdin) throws IOException {
        String go = stdin.readLine();
        if (!"GO".equals(go)) {
            throw new IllegalStateException("expected GO, got " + go);
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

    /** Time the JIT compilers spent in the window: CPU the process pays once, not per poll. */
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

    private static void write(Path out, Map<String, String> results, Map<String, Instant> completedAt) {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : results.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
            for (Map.Entry<String, Instant> e : completedAt.entrySet()) {
                Instant t = e.getValue();
                w.write("completed." + e.getKey() + "=" + t.getEpochSecond() + "."
                        + String.format(java.util.Locale.ROOT, "%09d", t.getNano()) + "\n");
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

    /** Many watches started together, and how they ended. */
    static final class Batch {
        final Map<String, Instant> completedAt = new ConcurrentHashMap<>();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicReference<Throwable> firstError = new AtomicReference<>();
        final CountDownLatch done;

        private Batch(int n) {
            this.done = new CountDownLatch(n);
        }

        static Batch start(WatchSystem system, String zone, String prefix, int n) {
            Batch batch = new Batch(n);
            for (int i = 0; i < n; i++) {
                String id = String.format(java.util.Locale.ROOT, "%s%05d", prefix, i);
                system.watch(zone, id, new WatchSystem.Listener() {
                    @Override
                    public void completed(Instant at) {
                        batch.completedAt.put(id, at);
                        batch.done.countDown();
                    }

                    @Override
                    public void failed(Throwable error) {
                        batch.errors.incrementAndGet();
                        batch.firstError.compareAndSet(null, error);
                        batch.done.countDown();
                    }
                });
            }
            return batch;
        }

        int ended() {
            return (int) (completedAt.size() + errors.get());
        }

        boolean await(Duration timeout) throws InterruptedException {
            return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
