package dev.taskwatch.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The side-by-side comparison: taskwatch, azure-core {@code PollerFlux}, the AWS SDK v2 {@code AsyncWaiter} (over the
 * SDK's HTTP client and over Reactor Netty) and the bare Reactor Netty floor watch the same scripted tasks on the same
 * loopback server, all on the same polling {@link Schedule}, each system in its own forked JVM with the same heap
 * limit, warmed up on the same workload before it is measured (see {@link SystemRun}), systems rotating from round
 * to round; the table reports the median of the rounds, the log every round.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.PeerComparison --watches 1000
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.PeerComparison --watches 5 --quick --warmup-phases 0
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.PeerComparison --scale
 * </pre>
 *
 * <p>Options: {@code --watches N} (default 1000; 100,000 with {@code --scale}), {@code --rounds R} (default 3; 1 with
 * {@code --quick} or {@code --scale}), {@code --schedule I,M,MAX} (default {@code 200ms,2,2s}; {@code 10s,2,60s} with
 * {@code --scale}), {@code --durations MIN,MEDIAN,MAX} (task lengths, see {@link TaskScript.Durations}), {@code
 * --ramp D} (start the watches evenly over D; default 0, {@code 60s} with {@code --scale}), {@code --xmx SIZE}
 * (default 512m; 256m with {@code --scale}), {@code --systems a,b} (default all five; taskwatch alone with {@code
 * --scale}), {@code --seed S} (default 42), {@code --warmup N} (tasks per warm-up phase, default the watch count but
 * at least 1,000; at most 20 with {@code --quick}, 5,000 with {@code --scale}), {@code --warmup-phases P} (default 3; 1 with {@code
 * --quick} or {@code --scale}), {@code --jfr DIR} (a JFR profile of every run, see {@link JfrTop}), {@code
 * --histogram} (the measured JVM's class histogram with every watch in flight, in the log), {@code --quick} (short
 * tasks: the smoke test), {@code --scale} (many long watches in a small heap: a scale report).
 */
public final class PeerComparison {

    static final List<String> COLUMNS = List.of(
            "polls",
            "cpu_ms_per_1k_polls",
            "cpu_ms_per_1k_polls_excl_jit",
            "heap_kb_per_watch",
            "threads",
            "p50_detect_ms",
            "p99_detect_ms",
            "requests_per_task");

    static final List<String> SCALE_COLUMNS = List.of(
            "watches",
            "peak_live_watches",
            "errors",
            "threads",
            "peak_threads",
            "heap_kb_per_watch",
            "cpu_ms_per_1k_polls",
            "cpu_ms_per_1k_polls_excl_jit",
            "polls",
            "p50_detect_ms",
            "p99_detect_ms");

    /** How many request gaps per task the log shows (by then every schedule here has reached its cap). */
    private static final int GAPS_SHOWN = 8;

    private PeerComparison() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        try (Workload workload = SimulatorWorkload.start(options.recordRequests())) {
            List<Result> results = run(options, workload, System.err);
            System.out.println(options.describe());
            System.out.println();
            System.out.print(options.scale ? scaleTable(results) : table(results));
            System.out.flush();
        }
        System.exit(0);
    }

    /** Runs every round and returns one median result per system, in report order. */
    static List<Result> run(Options options, Workload workload, PrintStream log) throws Exception {
        Map<WatchSystem.Kind, List<RunResult>> runs = new EnumMap<>(WatchSystem.Kind.class);
        List<TaskScript> scripts = TaskScript.generate(options.seed, options.watches, options.durations);
        log.printf(Locale.ROOT, "peer comparison on %s%n%s%n", workload.describe(), options.describe());
        if (!CompilerThreadCpu.available()) {
            log.println("no /proc/self/task here: compiler-thread CPU cannot be read, so the excl_jit column is NaN");
        }
        for (int round = 0; round < options.rounds; round++) {
            List<WatchSystem.Kind> order = new ArrayList<>(options.systems);
            // Rotate: each round starts one system later, so no system always runs first or last.
            Collections.rotate(order, -round);
            for (WatchSystem.Kind kind : order) {
                double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                RunResult r = runOne(options, workload, scripts, kind, round, log);
                runs.computeIfAbsent(kind, k -> new ArrayList<>()).add(r);
                log.printf(Locale.ROOT, "  round %d %-36s load %.1f  %s%n", round + 1, kind.label, load, r);
            }
        }
        List<Result> out = new ArrayList<>();
        for (WatchSystem.Kind kind : options.systems.stream().sorted().toList()) {
            out.add(Result.median(kind, options.watches, runs.get(kind)));
        }
        return out;
    }

    static RunResult runOne(
            Options options,
            Workload workload,
            List<TaskScript> scripts,
            WatchSystem.Kind kind,
            int round,
            PrintStream log)
            throws Exception {
        Path dir = Files.createTempDirectory("taskwatch-bench-");
        Path err = dir.resolve("stderr.log");
        Path histogram = dir.resolve("histogram.txt");
        Duration longest =
                scripts.stream().map(TaskScript::total).max(Duration::compareTo).orElse(Duration.ZERO);
        long timeoutS = longest.plus(options.ramp).toSeconds() + 120;
        List<String> command = new ArrayList<>(List.of(
                javaBinary(),
                "-Xmx" + options.xmx,
                // Compiler threads then live as long as the JVM, so none takes its CPU with it mid-window.
                "-XX:-UseDynamicNumberOfCompilerThreads",
                // A run out of heap ends at once and says so (in the error the coordinator throws), not after minutes
                // of back-to-back collections.
                "-XX:+ExitOnOutOfMemoryError"));
        if (options.jfrDir != null) {
            Files.createDirectories(options.jfrDir);
            Path jfr = options.jfrDir.resolve(kind.cliName + "-r" + (round + 1) + ".jfr");
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr.toAbsolutePath());
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                SystemRun.class.getName(),
                "--system",
                kind.cliName,
                "--base-url",
                workload.baseUrl().toString(),
                "--schedule",
                options.schedule.toString(),
                "--timeout-s",
                Long.toString(timeoutS)));
        if (options.histogram) {
            command.addAll(List.of("--histogram", histogram.toString()));
        }
        RunResult measured;
        try (Child child = new Child(command, err)) {
            for (int phase = 1; phase <= options.warmupPhases; phase++) {
                // The same kind of tasks as the measured ones (other draws), started at the same pace.
                List<TaskScript> warm =
                        TaskScript.generate(options.seed + phase, options.warmupTasks, options.durations);
                String zone = "w" + round + "-" + kind.cliName + "-" + phase;
                RunResult r = phase(workload, zone, warm, options.warmupRamp(), dir, child, log);
                log.printf(Locale.ROOT, "    %s warm-up %d: %s%n", kind.label, phase, r.brief());
            }
            measured = phase(workload, "r" + round + "-" + kind.cliName, scripts, options.ramp, dir, child, log);
            child.expect("READY");
            child.say("EXIT");
            child.awaitExit(timeoutS);
        }
        if (options.histogram && Files.exists(histogram)) {
            log.printf(
                    Locale.ROOT,
                    "  class histogram of %s, round %d, every watch in flight:%n%s",
                    kind.label,
                    round + 1,
                    Files.readString(histogram, StandardCharsets.UTF_8));
        }
        logGaps(workload, "r" + round + "-" + kind.cliName, kind, round, log);
        return measured;
    }

    /** One phase in the child (see {@link SystemRun}): script the tasks, start them, measure heap, collect. */
    private static RunResult phase(
            Workload workload,
            String zone,
            List<TaskScript> tasks,
            Duration ramp,
            Path dir,
            Child child,
            PrintStream log)
            throws Exception {
        Path out = dir.resolve(zone + ".properties");
        child.expect("READY");
        workload.script(zone, tasks, ramp); // the scripted clocks start as the watches do
        child.say("GO " + zone + " " + tasks.size() + " " + ramp.toMillis() + " " + out);
        awaitEveryTaskPolled(workload, zone, tasks.size(), ramp, child.process, log);
        child.say("HEAP");
        child.expect("DONE");
        return RunResult.read(out, zone, tasks, workload);
    }

    /**
     * Heap is measured once every watch has started and made its first request (seen by the server), plus half a
     * second for the answers to be handled: then each system holds its steady per-watch state.
     */
    private static void awaitEveryTaskPolled(
            Workload workload, String zone, int tasks, Duration ramp, Process child, PrintStream log)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + ramp.plusSeconds(60).toNanos();
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        int polled;
        while ((polled = workload.tasksPolled(zone)) < tasks && System.nanoTime() < deadline && child.isAlive()) {
            if (System.nanoTime() >= nextReport) { // progress of a long ramp, and where a failing one got to
                log.printf(
                        Locale.ROOT,
                        "    %ds: %d of %d tasks polled, %d requests%n",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                        polled,
                        tasks,
                        workload.requests(zone));
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
            Thread.sleep(100);
        }
        if (polled < tasks) {
            log.printf(Locale.ROOT, "  warning: only %d of %d tasks polled before heap was measured%n", polled, tasks);
        }
        Thread.sleep(500);
    }

    /**
     * The schedule each system actually ran, as the server saw it: per request index, the median gap between a task's
     * consecutive requests (the delay plus one round trip).
     */
    private static void logGaps(Workload workload, String zone, WatchSystem.Kind kind, int round, PrintStream log) {
        List<long[]> times = workload.requestTimes(zone);
        if (times.isEmpty()) {
            return;
        }
        long recorded = times.stream().mapToLong(t -> t.length).sum();
        StringJoiner gaps = new StringJoiner(" ");
        for (int n = 0; n < GAPS_SHOWN; n++) {
            int index = n;
            double[] values = times.stream()
                    .filter(t -> t.length > index + 1)
                    .mapToDouble(t -> t[index + 1] - t[index])
                    .sorted()
                    .toArray();
            if (values.length == 0) {
                break;
            }
            gaps.add(String.format(Locale.ROOT, "%.0f", percentile(values, 0.5)));
        }
        log.printf(
                Locale.ROOT,
                "  round %d %-36s request gaps, median by index (ms): %s  [%d of %d requests recorded]%n",
                round + 1,
                kind.label,
                gaps,
                recorded,
                workload.requests(zone));
    }

    /** A measured JVM and its line protocol; a child that dies is reported with the end of what it printed. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final BufferedReader stdout;
        private final Writer stdin;
        private final Path err;
        /** Lines on stdout that are not the protocol's, such as the JVM's "Terminating due to ...OutOfMemoryError". */
        private final List<String> chatter = new ArrayList<>();

        Child(List<String> command, Path err) throws IOException {
            this.process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.to(err.toFile()))
                    .start();
            this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.err = err;
        }

        void say(String line) {
            try {
                stdin.write(line + "\n");
                stdin.flush();
            } catch (IOException e) {
                throw died("before " + line.split(" ")[0]);
            }
        }

        void expect(String word) throws IOException {
            String line;
            while ((line = stdout.readLine()) != null) {
                if (line.equals(word)) {
                    return;
                }
                chatter.add(line);
            }
            throw died("before " + word);
        }

        void awaitExit(long timeoutS) throws InterruptedException {
            if (!process.waitFor(timeoutS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the measured JVM did not exit");
            }
        }

        private IllegalStateException died(String when) {
            StringBuilder sb = new StringBuilder("the measured JVM exited ").append(when);
            try {
                process.waitFor(5, TimeUnit.SECONDS);
                sb.append(" (exit code ").append(process.exitValue()).append(')');
                for (String line; (line = stdout.readLine()) != null; ) {
                    chatter.add(line);
                }
            } catch (IOException | InterruptedException | IllegalThreadStateException e) {
                sb.append(" (").append(e).append(')');
            }
            sb.append("; its stdout ends with:\n")
                    .append(String.join("\n", chatter.subList(Math.max(0, chatter.size() - 10), chatter.size())));
            try {
                List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
                sb.append("\nits stderr ends with:\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            } catch (IOException e) {
                sb.append("\n(no stderr: ").append(e).append(')');
            }
            return new IllegalStateException(sb.toString());
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ------------------------------------------------------------------ reports

    static String table(List<Result> results) {
        StringBuilder sb = header(COLUMNS);
        for (Result r : results) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.1f | %.1f | %.2f | %d | %.0f | %.0f | %.2f |%n",
                    r.kind.label,
                    Math.round(r.polls),
                    r.cpuMsPer1kPolls,
                    r.cpuMsPer1kPollsExclJit,
                    r.heapKbPerWatch,
                    Math.round(r.threads),
                    r.p50DetectMs,
                    r.p99DetectMs,
                    r.requestsPerTask));
        }
        return sb.toString();
    }

    static String scaleTable(List<Result> results) {
        StringBuilder sb = header(SCALE_COLUMNS);
        for (Result r : results) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d | %d | %.2f | %.1f | %.1f | %d | %.0f | %.0f |%n",
                    r.kind.label,
                    r.watches,
                    Math.round(r.peakLive),
                    Math.round(r.errors),
                    Math.round(r.threads),
                    Math.round(r.peakThreads),
                    r.heapKbPerWatch,
                    r.cpuMsPer1kPolls,
                    r.cpuMsPer1kPollsExclJit,
                    Math.round(r.polls),
                    r.p50DetectMs,
                    r.p99DetectMs));
        }
        return sb.toString();
    }

    private static StringBuilder header(List<String> columns) {
        StringBuilder sb = new StringBuilder();
        sb.append("| system | ").append(String.join(" | ", columns)).append(" |\n");
        sb.append("|---|").append("---:|".repeat(columns.size())).append('\n');
        return sb;
    }

    // ------------------------------------------------------------------ data

    /** The figures of one system in one round. */
    record RunResult(
            long polls,
            double cpuMs,
            double compilerCpuMs,
            double jitMs,
            double appThreadCpuMs,
            double heapKbPerWatch,
            int threads,
            int peakThreads,
            int baselineThreads,
            int endThreads,
            int errors,
            int inFlightAtHeap,
            int peakLive,
            double p50DetectMs,
            double p99DetectMs,
            String firstError) {

        double cpuMsPer1kPolls() {
            return polls == 0 ? Double.NaN : cpuMs / polls * 1000.0;
        }

        /** Process CPU without the C1/C2 compiler threads': NaN where their CPU cannot be read. */
        double cpuMsPer1kPollsExclJit() {
            return polls == 0 || Double.isNaN(compilerCpuMs) ? Double.NaN : (cpuMs - compilerCpuMs) / polls * 1000.0;
        }

        static RunResult read(Path file, String zone, List<TaskScript> scripts, Workload workload) throws IOException {
            int watches = scripts.size();
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            double[] delays = scripts.stream()
                    .filter(s -> p.getProperty("completed." + s.id()) != null)
                    .mapToDouble(s -> {
                        Instant emitted =
                                Instant.ofEpochSecond(0, Long.parseLong(p.getProperty("completed." + s.id())));
                        Instant transition = workload.completedAt(zone, s.id());
                        return Duration.between(transition, emitted).toNanos() / 1e6;
                    })
                    .sorted()
                    .toArray();
            long polls = workload.requests(zone);
            long heapDelta =
                    Long.parseLong(p.getProperty("heap_in_flight")) - Long.parseLong(p.getProperty("heap_baseline"));
            boolean finished = Boolean.parseBoolean(p.getProperty("finished"));
            int errors = Integer.parseInt(p.getProperty("errors")) + (finished ? 0 : watches - delays.length);
            int inFlight = Integer.parseInt(p.getProperty("in_flight_at_heap"));
            long compilerNs = Long.parseLong(p.getProperty("compiler_cpu_ns"));
            return new RunResult(
                    polls,
                    Long.parseLong(p.getProperty("cpu_ns")) / 1e6,
                    compilerNs < 0 ? Double.NaN : compilerNs / 1e6,
                    Long.parseLong(p.getProperty("jit_ms")),
                    Long.parseLong(p.getProperty("app_thread_cpu_ns")) / 1e6,
                    // Per watch still in flight when heap was measured (normally all of them).
                    heapDelta / 1024.0 / Math.max(1, inFlight),
                    Integer.parseInt(p.getProperty("threads")),
                    Integer.parseInt(p.getProperty("threads_peak")),
                    Integer.parseInt(p.getProperty("threads_baseline")),
                    Integer.parseInt(p.getProperty("threads_end")),
                    errors,
                    inFlight,
                    Integer.parseInt(p.getProperty("peak_live")),
                    percentile(delays, 0.50),
                    percentile(delays, 0.99),
                    p.getProperty("first_error", ""));
        }

        /** The figures that show how warm a warm-up phase left the JVM. */
        String brief() {
            return String.format(
                    Locale.ROOT,
                    "polls=%d cpu_ms=%.0f (compiler threads %.0f) cpu_ms_per_1k_polls=%.1f excl_jit=%.1f"
                            + " heap_kb_per_watch=%.2f errors=%d",
                    polls,
                    cpuMs,
                    compilerCpuMs,
                    cpuMsPer1kPolls(),
                    cpuMsPer1kPollsExclJit(),
                    heapKbPerWatch,
                    errors);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "polls=%d cpu_ms=%.0f (compiler threads %.0f, jit time %.0f, app threads %.0f)"
                            + " cpu_ms_per_1k_polls=%.1f excl_jit=%.1f heap_kb_per_watch=%.2f"
                            + " threads=%d (baseline %d, peak %d, end %d) in_flight_at_heap=%d peak_live=%d"
                            + " p50=%.0fms p99=%.0fms errors=%d%s",
                    polls,
                    cpuMs,
                    compilerCpuMs,
                    jitMs,
                    appThreadCpuMs,
                    cpuMsPer1kPolls(),
                    cpuMsPer1kPollsExclJit(),
                    heapKbPerWatch,
                    threads,
                    baselineThreads,
                    peakThreads,
                    endThreads,
                    inFlightAtHeap,
                    peakLive,
                    p50DetectMs,
                    p99DetectMs,
                    errors,
                    firstError.isEmpty() ? "" : " first_error=" + firstError);
        }
    }

    /** Nearest-rank percentile of sorted values; NaN when empty. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> metric) {
        double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }

    /** One row: the median over rounds of each figure (errors: their sum). */
    record Result(
            WatchSystem.Kind kind,
            int watches,
            int rounds,
            double polls,
            double cpuMsPer1kPolls,
            double cpuMsPer1kPollsExclJit,
            double heapKbPerWatch,
            double threads,
            double peakThreads,
            double peakLive,
            double p50DetectMs,
            double p99DetectMs,
            double requestsPerTask,
            double errors) {

        static Result median(WatchSystem.Kind kind, int watches, List<RunResult> runs) {
            return new Result(
                    kind,
                    watches,
                    runs.size(),
                    PeerComparison.median(runs, RunResult::polls),
                    PeerComparison.median(runs, RunResult::cpuMsPer1kPolls),
                    PeerComparison.median(runs, RunResult::cpuMsPer1kPollsExclJit),
                    PeerComparison.median(runs, RunResult::heapKbPerWatch),
                    PeerComparison.median(runs, RunResult::threads),
                    PeerComparison.median(runs, RunResult::peakThreads),
                    PeerComparison.median(runs, RunResult::peakLive),
                    PeerComparison.median(runs, RunResult::p50DetectMs),
                    PeerComparison.median(runs, RunResult::p99DetectMs),
                    PeerComparison.median(runs, r -> r.polls() / (double) watches),
                    runs.stream().mapToInt(RunResult::errors).sum());
        }
    }

    /** Command-line options, with the defaults of the chosen mode filled in. */
    static final class Options {
        /**
         * Scale mode's schedule: 100,000 watches must be served by a simulator sharing two cores with them. Polls
         * start at 10 s and back off to 60 s: over the 60 s ramp each watch polls at ages 0, 10 and 30 s, so the rate
         * peaks near 5,000 requests/s at the ramp's end and settles near 1,700/s. (taskwatch's defaults, 1 s to 10 s,
         * would ask for 10,000/s and more.)
         */
        static final Schedule SCALE_SCHEDULE = Schedule.parse("10s,2,60s");

        int watches = 1000;
        int rounds = 3;
        String xmx = "512m";
        long seed = 42;
        boolean quick;
        boolean scale;
        boolean histogram;
        Schedule schedule = Schedule.COMPARISON;
        TaskScript.Durations durations = TaskScript.Durations.STANDARD;
        Duration ramp = Duration.ZERO;
        int warmupTasks;
        int warmupPhases;

        @Nullable
        Path jfrDir;

        List<WatchSystem.Kind> systems = Arrays.asList(WatchSystem.Kind.values());

        static Options parse(String... args) {
            Options o = new Options();
            Map<String, String> given = new java.util.HashMap<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> o.quick = true;
                    case "--scale" -> o.scale = true;
                    case "--histogram" -> o.histogram = true;
                    case "--watches",
                            "--rounds",
                            "--xmx",
                            "--seed",
                            "--systems",
                            "--schedule",
                            "--durations",
                            "--ramp",
                            "--warmup",
                            "--warmup-phases",
                            "--jfr" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(args[i] + " needs a value");
                        }
                        given.put(args[i], args[++i]);
                    }
                    default ->
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + " (use --watches N, --rounds R, --schedule I,M,MAX, --durations MIN,MEDIAN,MAX,"
                                + " --ramp D, --xmx SIZE, --systems a,b, --seed S, --warmup N, --warmup-phases P,"
                                + " --jfr DIR, --histogram, --quick, --scale)");
                }
            }
            if (o.scale) {
                o.watches = 100_000;
                o.rounds = 1;
                o.xmx = "256m";
                o.systems = List.of(WatchSystem.Kind.TASKWATCH);
                o.schedule = SCALE_SCHEDULE;
                o.durations = TaskScript.Durations.SCALE;
                o.ramp = Duration.ofSeconds(60);
            } else if (o.quick) {
                o.rounds = 1;
                o.durations = TaskScript.Durations.QUICK;
            }
            o.watches = Integer.parseInt(given.getOrDefault("--watches", Integer.toString(o.watches)));
            o.rounds = Integer.parseInt(given.getOrDefault("--rounds", Integer.toString(o.rounds)));
            o.xmx = given.getOrDefault("--xmx", o.xmx);
            o.seed = Long.parseLong(given.getOrDefault("--seed", Long.toString(o.seed)));
            if (given.containsKey("--systems")) {
                o.systems = Arrays.stream(given.get("--systems").split(","))
                        .map(WatchSystem.Kind::parse)
                        .distinct()
                        .toList();
            }
            if (given.containsKey("--schedule")) {
                o.schedule = Schedule.parse(given.get("--schedule"));
            }
            if (given.containsKey("--durations")) {
                o.durations = o.durations.with(given.get("--durations"));
            }
            if (given.containsKey("--ramp")) {
                o.ramp = Schedule.duration(given.get("--ramp"));
            }
            // At least 1,000 tasks per warm-up phase (about 7,500 polls on the default schedule), and as many as
            // measured; a small scale run warms up on its own size.
            int defaultWarmup = o.scale
                    ? Math.min(o.watches, 5_000)
                    : o.quick ? Math.min(o.watches, 20) : Math.max(o.watches, 1_000);
            o.warmupTasks = Integer.parseInt(given.getOrDefault("--warmup", Integer.toString(defaultWarmup)));
            o.warmupPhases = Integer.parseInt(
                    given.getOrDefault("--warmup-phases", Integer.toString(o.scale || o.quick ? 1 : 3)));
            if (given.containsKey("--jfr")) {
                o.jfrDir = Path.of(given.get("--jfr"));
            }
            if (o.watches < 1 || o.rounds < 1 || o.systems.isEmpty() || o.warmupTasks < 0 || o.warmupPhases < 0) {
                throw new IllegalArgumentException("need at least one watch, one round and one system");
            }
            if (o.durations.min().compareTo(o.ramp.plusSeconds(1)) <= 0) {
                // Otherwise the first tasks end before the last watches start, and heap is not measured with all
                // of them in flight.
                throw new IllegalArgumentException("tasks must outlast the ramp by more than a second: shortest task "
                        + Schedule.format(o.durations.min()) + ", ramp " + Schedule.format(o.ramp));
            }
            return o;
        }

        /** The warm-up's ramp: the measured one's pace (watches started per second) for the warm-up's task count. */
        Duration warmupRamp() {
            return ramp.multipliedBy(warmupTasks).dividedBy(watches);
        }

        /**
         * How many requests the simulator keeps for the gap log: a measured round's worth (the newest are kept), none
         * in scale mode.
         */
        int recordRequests() {
            return scale ? 0 : (int) Math.min(200_000L, watches * 40L);
        }

        /** One line saying what was run, above the table and in the log. */
        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%d watches per run, %d round(s) in rotating order (medians), -Xmx%s; schedule %s for every"
                            + " system (initial,multiplier,max; no jitter); tasks %s; watches started %s;"
                            + " warm-up %d phase(s) of %d such tasks before the measured one, each phase on a newly built system",
                    watches,
                    rounds,
                    xmx,
                    schedule,
                    durations,
                    ramp.isZero() ? "all at once" : "evenly over " + Schedule.format(ramp),
                    warmupPhases,
                    warmupTasks);
        }
    }
}
