package dev.taskwatch.benchmarks;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.util.Arrays;
import java.util.List;

/**
 * The request-efficiency workload in virtual time: task {@code i} is pending for the first 20 % of its duration,
 * running for the rest, and completed from its duration on. Counts requests and records when each watcher saw the
 * completion; answers take no time.
 */
final class VirtualCatalog {

    final long[] durationMillis;
    final long[] requests;
    final long[] detectedAtMillis;

    VirtualCatalog(long[] durationMillis) {
        this.durationMillis = durationMillis;
        this.requests = new long[durationMillis.length];
        this.detectedAtMillis = new long[durationMillis.length];
        Arrays.fill(detectedAtMillis, -1);
    }

    int size() {
        return durationMillis.length;
    }

    static String id(int i) {
        return "t" + i;
    }

    static int index(String id) {
        return Integer.parseInt(id.substring(1));
    }

    /** One request for task {@code i} at virtual time {@code nowMillis}. */
    Task poll(int i, long nowMillis) {
        requests[i]++;
        long d = durationMillis[i];
        if (nowMillis >= d) {
            return Task.of(id(i), TaskStatus.COMPLETED, "inst-" + i); // what a 303 reads as
        }
        TaskStatus status = nowMillis < d / 5 ? TaskStatus.PENDING : TaskStatus.RUNNING;
        return Task.of(id(i), status, null);
    }

    void detected(int i, long nowMillis) {
        if (detectedAtMillis[i] < 0) {
            detectedAtMillis[i] = nowMillis;
        }
    }

    /** The outcome; fails if any task went undetected, which would make the figures meaningless. */
    RequestEfficiency.Outcome outcome(String name, String how) {
        int n = size();
        double[] delays = new double[n];
        double[] relative = new double[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (detectedAtMillis[i] < 0) {
                throw new IllegalStateException(name + ": task " + i + " never detected");
            }
            delays[i] = (detectedAtMillis[i] - durationMillis[i]) / 1000.0;
            relative[i] = 100.0 * (detectedAtMillis[i] - durationMillis[i]) / durationMillis[i];
            total += requests[i];
        }
        Arrays.sort(delays);
        Arrays.sort(relative);
        return new RequestEfficiency.Outcome(
                name,
                how,
                total / (double) n,
                Arrays.stream(delays).average().orElse(Double.NaN),
                PeerComparison.percentile(delays, 0.50),
                PeerComparison.percentile(delays, 0.95),
                PeerComparison.percentile(delays, 0.99),
                PeerComparison.percentile(relative, 0.50),
                PeerComparison.percentile(relative, 0.95));
    }

    static List<Long> asList(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
