package dev.taskwatch.benchmarks;

import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.PollerFlux;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.core.waiters.AsyncWaiter;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Requests per task against detection delay, in virtual time: tasks with log-normal durations (median 20 s, p95
 * 2 min) watched by taskwatch (defaults and variants), fixed intervals of 1, 2, 5 and 10 s, and the peers' default
 * schedules. The real pollers run on a virtual clock (Reactor's {@code VirtualTimeScheduler} for taskwatch and
 * {@code PollerFlux}; a virtual {@code ScheduledExecutorService} for the AWS waiter), answering instantly, so the
 * figures are about schedules alone.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.RequestEfficiency [--tasks 5000] [--seed 42]
 *     [--out benchmarks/results]
 * </pre>
 *
 * <p>Writes {@code request-efficiency.md} (the table) and {@code request-efficiency.png} (the chart) to the output
 * folder and prints the table. Task durations are deterministic for a seed; the systems' own jitter (taskwatch's and
 * the AWS strategy's) is not seeded, which moves the figures by well under 1 % between runs at 5,000 tasks.
 */
public final class RequestEfficiency {

    static final double MEDIAN_SECONDS = 20;
    static final double P95_SECONDS = 120;
    /** Long enough for any task to be seen; the longest draws are near 20 minutes at 5,000 tasks. */
    static final Duration HORIZON = Duration.ofHours(6);

    private RequestEfficiency() {}

    /** One schedule's figures. */
    record Outcome(
            String name,
            String how,
            double meanRequests,
            double meanDetectSeconds,
            double p50DetectSeconds,
            double p95DetectSeconds,
            double p99DetectSeconds,
            double p50DelayPctOfDuration,
            double p95DelayPctOfDuration) {}

    public static void main(String[] args) throws IOException {
        int tasks = 5000;
        long seed = 42;
        Path out = Path.of("benchmarks", "results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tasks" -> tasks = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i] + " (use --tasks N, --seed S, --out DIR)");
            }
        }
        System.setProperty("java.awt.headless", "true");
        long[] durations = durations(seed, tasks);
        List<Outcome> outcomes = run(durations);
        String table = table(outcomes, tasks, seed);
        System.out.print(table);
        Files.createDirectories(out);
        Files.writeString(out.resolve("request-efficiency.md"), table, StandardCharsets.UTF_8);
        chart(outcomes, out.resolve("request-efficiency.png"));
        System.exit(0);
    }

    static List<Outcome> run(long[] durations) {
        List<Outcome> outcomes = new ArrayList<>(TaskwatchSchedules.outcomes(durations));
        for (int seconds : new int[] {1, 2, 5, 10}) {
            outcomes.add(fixed(durations, Duration.ofSeconds(seconds)));
        }
        outcomes.add(azurePollerFlux(durations, AzurePollerSystem.POLL_INTERVAL));
        outcomes.add(awsWaiter(durations, null, "aws AsyncWaiter default", "sdk-core's default: fixed 5 s, no jitter"));
        outcomes.add(awsWaiter(
                durations,
                AwsWaiterSystem.BACKOFF,
                "aws AsyncWaiter exponential",
                "exponentialDelayHalfJitter(1 s, 10 s), as in the peer comparison"));
        return outcomes;
    }

    /** Log-normal durations in milliseconds with the given median and 95th percentile. */
    static long[] durations(long seed, int n) {
        double mu = Math.log(MEDIAN_SECONDS);
        double sigma = Math.log(P95_SECONDS / MEDIAN_SECONDS) / 1.6448536269514722;
        SplittableRandom random = new SplittableRandom(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(1, Math.round(1000 * Math.exp(mu + sigma * TaskScript.gaussian(random))));
        }
        return out;
    }

    /** Polls at 0, i, 2i, … until completed: the plain fixed-interval loop. */
    static Outcome fixed(long[] durations, Duration interval) {
        VirtualCatalog catalog = new VirtualCatalog(durations);
        long step = interval.toMillis();
        for (int i = 0; i < catalog.size(); i++) {
            long t = 0;
            while (!catalog.poll(i, t).status().isTerminal()) {
                t += step;
            }
            catalog.detected(i, t);
        }
        return catalog.outcome(
                "fixed " + interval.toSeconds() + " s",
                "a request every " + interval.toSeconds() + " s after the previous answer");
    }

    /** The real {@code PollerFlux} (activation = the first GET, then one GET per interval) on virtual time. */
    static Outcome azurePollerFlux(long[] durations, Duration interval) {
        VirtualCatalog catalog = new VirtualCatalog(durations);
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        VirtualTimeScheduler.set(vts);
        try {
            List<Disposable> subscriptions = new ArrayList<>();
            for (int i = 0; i < catalog.size(); i++) {
                int index = i;
                java.util.function.Function<com.azure.core.util.polling.PollingContext<Task>, Mono<PollResponse<Task>>>
                        get = context -> Mono.fromSupplier(() -> {
                    Task t = catalog.poll(index, vts.now(TimeUnit.MILLISECONDS));
                    LongRunningOperationStatus s = t.status() == TaskStatus.COMPLETED
                            ? LongRunningOperationStatus.SUCCESSFULLY_COMPLETED
                            : LongRunningOperationStatus.IN_PROGRESS;
                    return new PollResponse<>(s, t);
                });
                PollerFlux<Task, Task> poller =
                        PollerFlux.create(interval, get, get, (c, r) -> Mono.empty(), c -> Mono.empty());
                subscriptions.add(poller.filter(r -> r.getStatus().isComplete())
                        .next()
                        .subscribe(r -> catalog.detected(index, vts.now(TimeUnit.MILLISECONDS))));
            }
            vts.advanceTimeBy(HORIZON);
            subscriptions.forEach(Disposable::dispose);
        } finally {
            VirtualTimeScheduler.reset();
        }
        return catalog.outcome(
                "azure PollerFlux 1 s",
                "PollerFlux with a 1 s interval (it has no default; 1 s is what the Azure SDK clients commonly pass)");
    }

    /** The real AWS {@code AsyncWaiter} on a virtual scheduled executor. */
    static Outcome awsWaiter(long[] durations, @Nullable BackoffStrategy backoff, String name, String how) {
        VirtualCatalog catalog = new VirtualCatalog(durations);
        VirtualScheduledExecutor executor = new VirtualScheduledExecutor();
        AsyncWaiter<Task> waiter = AwsWaiterSystem.waiter(executor, backoff);
        for (int i = 0; i < catalog.size(); i++) {
            int index = i;
            waiter.runAsync(() -> CompletableFuture.completedFuture(catalog.poll(index, executor.nowMillis())))
                    .whenComplete((r, e) -> {
                        if (e == null && r.matched().response().isPresent()) {
                            catalog.detected(index, executor.nowMillis());
                        }
                    });
        }
        executor.runAll(HORIZON.toNanos());
        return catalog.outcome(name, how);
    }

    // ------------------------------------------------------------------ reports

    static String table(List<Outcome> outcomes, int tasks, long seed) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "Request efficiency, %s: %d tasks, log-normal durations (median %.0f s, p95 %.0f s, seed %d),"
                        + " virtual time, instant answers.%n%n",
                LocalDate.now(ZoneOffset.UTC),
                tasks,
                MEDIAN_SECONDS,
                P95_SECONDS,
                seed));
        sb.append("| schedule | mean_requests_per_task | mean_detect_s | p50_detect_s | p95_detect_s | p99_detect_s"
                + " | p50_delay_pct_of_duration | p95_delay_pct_of_duration | how |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Outcome o : outcomes) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %s |%n",
                    o.name,
                    o.meanRequests,
                    o.meanDetectSeconds,
                    o.p50DetectSeconds,
                    o.p95DetectSeconds,
                    o.p99DetectSeconds,
                    o.p50DelayPctOfDuration,
                    o.p95DelayPctOfDuration,
                    o.how));
        }
        return sb.toString();
    }

    static void chart(List<Outcome> outcomes, Path png) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (boolean p95 : new boolean[] {false, true}) {
            XYChart chart = new XYChartBuilder()
                    .width(720)
                    .height(520)
                    .title((p95 ? "p95" : "p50") + " detection delay vs requests per task")
                    .xAxisTitle("mean requests per task (fewer is better)")
                    .yAxisTitle((p95 ? "p95" : "p50") + " detection delay, s (lower is better)")
                    .build();
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
            chart.getStyler().setMarkerSize(10);
            // The fixed-interval curve first, so the single-point series are drawn over it and stay visible.
            List<Double> fx = new ArrayList<>();
            List<Double> fy = new ArrayList<>();
            for (Outcome o : outcomes) {
                if (o.name.startsWith("fixed ")) {
                    fx.add(o.meanRequests);
                    fy.add(p95 ? o.p95DetectSeconds : o.p50DetectSeconds);
                }
            }
            XYSeries fixed = chart.addSeries("fixed 1/2/5/10 s", fx, fy);
            fixed.setMarker(SeriesMarkers.CIRCLE);
            for (Outcome o : outcomes) {
                if (!o.name.startsWith("fixed ")) {
                    double y = p95 ? o.p95DetectSeconds : o.p50DetectSeconds;
                    XYSeries s = chart.addSeries(o.name, new double[] {o.meanRequests}, new double[] {y});
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                }
            }
            charts.add(chart);
        }
        BitmapEncoder.saveBitmap(charts, 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
