package dev.taskwatch.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The side-by-side comparison: taskwatch, azure-core {@code PollerFlux}, the AWS SDK v2 {@code AsyncWaiter} and the
 * bare Reactor Netty floor watch the same scripted tasks on the same loopback server, each system in its own forked
 * JVM with the same heap limit, systems alternating from round to round; the table reports the median of the
 * rounds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.PeerComparison --watches 1000
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.PeerComparison --watches 5 --quick
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.PeerComparison --scale
 * </pre>
 *
 * <p>Options: {@code --watches N} (default 1000; 10000 with {@code --scale}), {@code --rounds R} (default 3; 1 with
 * {@code --quick} or {@code --scale}), {@code --xmx SIZE} (default 512m; 256m with {@code --scale}),
 * {@code --systems a,b} (default all four; taskwatch alone with {@code --scale}), {@code --seed S} (default 42),
 * {@code --warmup N} (warm-up tasks per run, default N/2 within 100–1000; 20 with {@code --quick}), {@code --jfr DIR}
 * (a JFR profile of every run, see {@link JfrTop}),
 * {@code --quick} (short tasks, small warm-up: the smoke test), {@code --scale} (10,000 long tasks, a scale report).
 */
public final class PeerComparison {

    static final List<String> COLUMNS = List.of(
            "polls",
            "cpu_ms_per_1k_polls",
            "heap_kb_per_watch",
            "threads",
            "p50_detect_ms",
            "p99_detect_ms",
            "requests_per_task");

    private PeerComparison() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        try (Workload workload = SimulatorWorkload.start()) {
            List<Result> results = run(options, workload, System.err);
            System.out.print(options.scale ? scaleTable(results) : table(results));
            System.out.flush();
        }
        System.exit(0);
    }

    /** Runs every round and returns one median result per system, in report order. */
    static List<Result> run(Options options, Workload workload, PrintStream log) throws Exception {
        Map<WatchSystem.Kind, List<RunResult>> runs = new EnumMap<>(WatchSystem.Kind.class);
        List<TaskScript> scripts = TaskScript.generate(options.seed, options.watches, options.profile());
        log.printf(
                Locale.ROOT,
                "peer comparison: %d watches, %d round(s), -Xmx%s, %s workload on %s%n",
                options.watches,
                options.rounds,
                options.xmx,
                options.profile(),
                workload.describe());
        for (int round = 0; round < options.rounds; round++) {
            List<WatchSystem.Kind> order = new ArrayList<>(options.systems);
            // Alternate: each round starts one system later, so no system always runs first or last.
            java.util.Collections.rotate(order, -round);
            for (WatchSystem.Kind kind : order) {
                RunResult r = runOne(options, workload, scripts, kind, round, log);
                runs.computeIfAbsent(kind, k -> new ArrayList<>()).add(r);
                log.printf(Locale.ROOT, "  round %d %-22s %s%n", round + 1, kind.label, r);
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
        String zone = "r" + round + "-" + kind.cliName();
        String warmZone = "w" + round + "-" + kind.cliName();
        int warmTasks = options.warmupTasks();
        Path dir = Files.createTempDirectory("taskwatch-bench-");
        Path out = dir.resolve("result.properties");
        Path err = dir.resolve("stderr.log");
        Duration longest =
                scripts.stream().map(TaskScript::total).max(Duration::compareTo).orElse(Duration.ZERO);
        long timeoutS = longest.toSeconds() + 60;
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + options.xmx, "-Xms64m"));
        if (options.jfrDir != null) {
            Files.createDirectories(options.jfrDir);
            Path jfr = options.jfrDir.resolve(kind.cliName() + "-r" + (round + 1) + ".jfr");
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr.toAbsolutePath());
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                SystemRun.class.getName(),
                "--system",
                kind.cliName(),
                "--base-url",
                workload.baseUrl().toString(),
                "--zone",
                zone,
                "--tasks",
                Integer.toString(options.watches),
                "--warmup-zone",
                warmZone,
                "--warmup-tasks",
                Integer.toString(warmTasks),
                "--warmup-phases",
                Integer.toString(options.warmupPhases()),
                "--settle-ms",
                Long.toString(options.profile().settle(options.watches).toMillis()),
                "--timeout-s",
                Long.toString(timeoutS),
                "--out",
                out.toString()));
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(err.toFile()))
                .start();
        try {
            BufferedReader stdout =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            Writer stdin = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            for (int phase = 1; phase <= options.warmupPhases(); phase++) {
                expect(stdout, "WARM", child, err);
                workload.script(warmZone + "-" + phase, TaskScript.warmup(warmTasks, options.quick));
                stdin.write("GO\n");
                stdin.flush();
            }
            expect(stdout, "READY", child, err);
            workload.script(zone, scripts); // the scripted clocks start now, as the watches do
            stdin.write("GO\n");
            stdin.flush();
            expect(stdout, "DONE", child, err);
            if (!child.waitFor(timeoutS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(kind.label + " did not exit");
            }
        } finally {
            child.destroyForcibly();
        }
        return RunResult.read(out, zone, scripts, workload, options.watches);
    }

    private static void expect(BufferedReader stdout, String word, Process child, Path err) throws IOException {
        String line;
        while ((line = stdout.readLine()) != null) {
            if (line.equals(word)) {
                return;
            }
        }
        String tail;
        try {
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            tail = "(no stderr: " + e + ")";
        }
        throw new IllegalStateException("child exited before " + word + "; its stderr ends with:\n" + tail);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ------------------------------------------------------------------ reports

    static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| system | ").append(String.join(" | ", COLUMNS)).append(" |\n");
        sb.append("|---|").append("---:|".repeat(COLUMNS.size())).append('\n');
        for (Result r : results) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.1f | %.2f | %d | %.0f | %.0f | %.2f |%n",
                    r.kind.label,
                    Math.round(r.polls),
                    r.cpuMsPer1kPolls,
                    r.heapKbPerWatch,
                    Math.round(r.threads),
                    r.p50DetectMs,
                    r.p99DetectMs,
                    r.requestsPerTask));
        }
        return sb.toString();
    }

    static String scaleTable(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| system | watches | errors | threads | peak_threads | heap_kb_per_watch | cpu_ms_per_1k_polls"
                + " | polls | p50_detect_ms | p99_detect_ms |\n");
        sb.append("|---|").append("---:|".repeat(9)).append('\n');
        for (Result r : results) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d | %.2f | %.1f | %d | %.0f | %.0f |%n",
                    r.kind.label,
                    r.watches,
                    Math.round(r.errors),
                    Math.round(r.threads),
                    Math.round(r.peakThreads),
                    r.heapKbPerWatch,
                    r.cpuMsPer1kPolls,
                    Math.round(r.polls),
                    r.p50DetectMs,
                    r.p99DetectMs));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ data

    /** The figures of one system in one round. */
    record RunResult(
            long polls,
            double cpuMs,
            double jitMs,
            double appThreadCpuMs,
            double heapKbPerWatch,
            int threads,
            int peakThreads,
            int errors,
            int inFlightAtHeap,
            double p50DetectMs,
            double p99DetectMs,
            String firstError) {

        double cpuMsPer1kPolls() {
            return polls == 0 ? Double.NaN : cpuMs / polls * 1000.0;
        }

        static RunResult read(Path file, String zone, List<TaskScript> scripts, Workload workload, int watches)
                throws IOException {
            java.util.Properties p = new java.util.Properties();
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            double[] delays = scripts.stream()
                    .filter(s -> p.getProperty("completed." + s.id()) != null)
                    .mapToDouble(s -> {
                        Instant emitted = parseInstant(p.getProperty("completed." + s.id()));
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
            return new RunResult(
                    polls,
                    Long.parseLong(p.getProperty("cpu_ns")) / 1e6,
                    Long.parseLong(p.getProperty("jit_ms", "0")),
                    Long.parseLong(p.getProperty("app_thread_cpu_ns", "0")) / 1e6,
                    // Per watch still in flight when heap was measured (normally all of them).
                    heapDelta / 1024.0 / Math.max(1, inFlight),
                    Integer.parseInt(p.getProperty("threads")),
                    Integer.parseInt(p.getProperty("threads_peak")),
                    errors,
                    inFlight,
                    percentile(delays, 0.50),
                    percentile(delays, 0.99),
                    p.getProperty("first_error", ""));
        }

        private static Instant parseInstant(String value) {
            int dot = value.indexOf('.');
            return Instant.ofEpochSecond(
                    Long.parseLong(value.substring(0, dot)), Long.parseLong(value.substring(dot + 1)));
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "polls=%d cpu_ms=%.0f (jit %.0f, app threads %.0f) cpu_ms_per_1k_polls=%.1f heap_kb_per_watch=%.2f threads=%d peak=%d"
                            + " in_flight_at_heap=%d p50=%.0fms p99=%.0fms errors=%d%s",
                    polls,
                    cpuMs,
                    jitMs,
                    appThreadCpuMs,
                    cpuMsPer1kPolls(),
                    heapKbPerWatch,
                    threads,
                    peakThreads,
                    inFlightAtHeap,
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

    /** One row: the median over rounds of each figure. */
    record Result(
            WatchSystem.Kind kind,
            int watches,
            int rounds,
            double polls,
            double cpuMsPer1kPolls,
            double heapKbPerWatch,
            double threads,
            double peakThreads,
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
                    PeerComparison.median(runs, RunResult::heapKbPerWatch),
                    PeerComparison.median(runs, RunResult::threads),
                    PeerComparison.median(runs, RunResult::peakThreads),
                    PeerComparison.median(runs, RunResult::p50DetectMs),
                    PeerComparison.median(runs, RunResult::p99DetectMs),
                    PeerComparison.median(runs, r -> r.polls() / (double) watches),
                    runs.stream().mapToInt(RunResult::errors).sum());
        }
    }

    /** Command-line options. */
    static final class Options {
        int watches = 1000;
        int rounds = 3;
        String xmx = "512m";
        long seed = 42;
        boolean quick;
        boolean scale;
        int warmup = -1;

        @Nullable
        Path jfrDir;

        List<WatchSystem.Kind> systems = Arrays.asList(WatchSystem.Kind.values());
        private boolean watchesSet;
        private boolean roundsSet;
        private boolean xmxSet;
        private boolean systemsSet;

        static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--watches" -> {
                        o.watches = Integer.parseInt(value(args, ++i, "--watches"));
                        o.watchesSet = true;
                    }
                    case "--rounds" -> {
                        o.rounds = Integer.parseInt(value(args, ++i, "--rounds"));
                        o.roundsSet = true;
                    }
                    case "--xmx" -> {
                        o.xmx = value(args, ++i, "--xmx");
                        o.xmxSet = true;
                    }
                    case "--seed" -> o.seed = Long.parseLong(value(args, ++i, "--seed"));
                    case "--systems" -> {
                        o.systems = Arrays.stream(value(args, ++i, "--systems").split(","))
                                .map(WatchSystem.Kind::parse)
                                .distinct()
                                .toList();
                        o.systemsSet = true;
                    }
                    case "--warmup" -> o.warmup = Integer.parseInt(value(args, ++i, "--warmup"));
                    case "--jfr" -> o.jfrDir = Path.of(value(args, ++i, "--jfr"));
                    case "--quick" -> o.quick = true;
                    case "--scale" -> o.scale = true;
                    default ->
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + " (use --watches N, --rounds R, --xmx SIZE, --systems a,b, --seed S, --quick,"
                                + " --scale)");
                }
            }
            if (o.scale) {
                o.watches = o.watchesSet ? o.watches : 10_000;
                o.xmx = o.xmxSet ? o.xmx : "256m";
                o.rounds = o.roundsSet ? o.rounds : 1;
                o.systems = o.systemsSet ? o.systems : List.of(WatchSystem.Kind.TASKWATCH);
            } else if (o.quick) {
                o.rounds = o.roundsSet ? o.rounds : 1;
            }
            if (o.watches < 1 || o.rounds < 1 || o.systems.isEmpty()) {
                throw new IllegalArgumentException("need at least one watch, one round and one system");
            }
            return o;
        }

        TaskScript.Profile profile() {
            return scale ? TaskScript.Profile.SCALE : quick ? TaskScript.Profile.QUICK : TaskScript.Profile.STANDARD;
        }

        /** Warm-up rounds before measuring: enough polls for the JIT to finish with the poll path. */
        int warmupPhases() {
            return quick ? 1 : 3;
        }

        int warmupTasks() {
            if (warmup >= 0) {
                return warmup;
            }
            return quick ? Math.min(watches, 20) : Math.min(Math.max(watches / 2, 100), 1000);
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args[i];
        }
    }
}
