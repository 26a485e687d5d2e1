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

    /** The id of the i-th task of a zone; the measured JVM names its watches the same way. */
    static String id(int i) {
        return String.format(Locale.ROOT, "task-%05d", i);
    }

    /**
     * {@code n} scripts drawn from {@code seed}: total durations {@code min + lognormal(median, sigma)}, capped at
     * {@code max}; 20 % of each is spent pending, the rest running. The same seed gives the same scripts.
     */
    static List<TaskScript> generate(long seed, int n, Durations durations) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TaskScript> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double gaussian = gaussian(random);
            double ms = durations.min.toMillis() + durations.median.toMillis() * Math.exp(durations.sigma * gaussian);
            long total = (long) Math.min(durations.max.toMillis(), ms);
            long pending = total / 5;
            out.add(new TaskScript(id(i), Duration.ofMillis(pending), Duration.ofMillis(total - pending)));
        }
        return out;
    }

    /** Box–Muller: the JDK 17 {@code SplittableRandom} has no {@code nextGaussian}. */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /**
     * How long tasks live: {@code min} plus a log-normal of median {@code median} and shape {@code sigma}, capped at
     * {@code max}. Written {@code min,median,max} on the command line (sigma stays the preset's).
     */
    record Durations(Duration min, Duration median, double sigma, Duration max) {

        /** The smoke test and {@code --quick}: tasks of about 1.4–2.5 s. */
        static final Durations QUICK =
                new Durations(Duration.ofMillis(1_200), Duration.ofMillis(400), 0.5, Duration.ofMillis(2_500));
        /**
         * The comparison: 2 s plus a log-normal of median 4 s, capped at 16 s (mean about 7.5 s, 7–8 polls on the
         * default schedule). Short enough that three warm-up phases and the measured one take about a minute.
         */
        static final Durations STANDARD =
                new Durations(Duration.ofSeconds(2), Duration.ofSeconds(4), 0.8, Duration.ofSeconds(16));
        /**
         * Scale mode: every watch must still be in flight when heap is measured after the 60 s start ramp, so tasks
         * last 90 s plus a log-normal of median 30 s, capped at 180 s.
         */
        static final Durations SCALE =
                new Durations(Duration.ofSeconds(90), Duration.ofSeconds(30), 0.5, Duration.ofSeconds(180));

        Durations {
            if (min.isNegative() || median.isNegative() || max.compareTo(min) < 0 || max.isZero()) {
                throw new IllegalArgumentException(
                        "need 0 <= min <= max, max > 0, got " + min + ", " + median + ", " + max);
            }
        }

        /** {@code min,median,max}, keeping this preset's sigma. */
        Durations with(String text) {
            String[] parts = text.split(",");
            if (parts.length != 3) {
                throw new IllegalArgumentException("durations are min,median,max (such as 2s,4s,16s), got " + text);
            }
            return new Durations(
                    Schedule.duration(parts[0]), Schedule.duration(parts[1]), sigma, Schedule.duration(parts[2]));
        }

        @Override
        public String toString() {
            return Schedule.format(min) + " + lognormal(median " + Schedule.format(median) + ", sigma " + sigma
                    + "), at most " + Schedule.format(max);
        }
    }
}
