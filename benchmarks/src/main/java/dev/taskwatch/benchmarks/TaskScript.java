package dev.taskwatch.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One scripted task: {@code pending} for {@link #pendingFor}, then {@code running} for {@link #runningFor}, then
 * completed (answered with a 303). Every system in a comparison watches the same scripts.
 */
record TaskScript(String id, Duration pendingFor, Duration runningFor) {

    Duration total() {
        return pendingFor.plus(runningFor);
    }

    /**
     * {@code n} scripts drawn from {@code seed}: total durations {@code min + lognormal(median, sigma)}, capped at
     * {@code max}; 20 % of each is spent pending, the rest running. The same seed gives the same scripts.
     */
    static List<TaskScript> generate(long seed, int n, Profile profile) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TaskScript> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double gaussian = gaussian(random);
            double ms = profile.minMillis + profile.medianMillis * Math.exp(profile.sigma * gaussian);
            long total = (long) Math.min(profile.maxMillis, ms);
            long pending = total / 5;
            out.add(new TaskScript(
                    String.format(Locale.ROOT, "task-%05d", i),
                    Duration.ofMillis(pending),
                    Duration.ofMillis(total - pending)));
        }
        return out;
    }

    /**
     * Warm-up tasks, scripted when the measured JVM is ready for them, so that the measured round starts with the code
     * paths (200 and 303) compiled: 2–6 s each (0.5–1.5 s when {@code quick}), several polls apiece.
     */
    static List<TaskScript> warmup(int n, boolean quick) {
        List<TaskScript> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long total = quick ? 500 + 25L * (i % 40) : 2_000 + 100L * (i % 40);
            out.add(new TaskScript(
                    String.format(Locale.ROOT, "warm-%05d", i),
                    Duration.ofMillis(total / 2),
                    Duration.ofMillis(total - total / 2)));
        }
        return out;
    }

    /** Box–Muller: the JDK 17 {@code SplittableRandom} has no {@code nextGaussian}. */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Workload shapes: how long tasks live, and how long to let all watches settle before measuring heap. */
    enum Profile {
        /** The smoke test and {@code --quick}: tasks of about 1.4–2.5 s. */
        QUICK(1_200, 400, 0.5, 2_500),
        /** The comparison: 4 s plus a log-normal of median 8 s, capped at 40 s. */
        STANDARD(4_000, 8_000, 0.8, 40_000),
        /** Scale mode: 10,000 watches that must all be in flight while heap is measured: 15 s plus median 15 s. */
        SCALE(15_000, 15_000, 0.5, 60_000);

        final long minMillis;
        final long medianMillis;
        final double sigma;
        final long maxMillis;

        Profile(long minMillis, long medianMillis, double sigma, long maxMillis) {
            this.minMillis = minMillis;
            this.medianMillis = medianMillis;
            this.sigma = sigma;
            this.maxMillis = maxMillis;
        }

        /** How long after starting all watches the in-flight heap is measured: every first poll has returned. */
        Duration settle(int watches) {
            long ms = Math.min(minMillis / 2, 700 + watches / 4L);
            return Duration.ofMillis(ms);
        }
    }
}
