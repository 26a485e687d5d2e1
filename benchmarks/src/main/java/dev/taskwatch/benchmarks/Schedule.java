package dev.taskwatch.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The polling schedule every system of a comparison is given: the delay after a watch's n-th answer (n from 0) is
 * {@code min(max, initial × multiplier^n)}, without jitter, and it never goes back to {@code initial}. Each system
 * expresses it in its own configuration (see the systems' Javadoc); the coordinator logs the gaps the server saw.
 *
 * <p>Written {@code initial,multiplier,max}, such as {@code 200ms,2,2s}; durations as {@code 500ms}, {@code 2s},
 * {@code 1m}.
 */
final class Schedule {

    /** The comparison's default (DESIGN §7): 200 ms ×2 up to 2 s. */
    static final Schedule COMPARISON = parse("200ms,2,2s");

    private final Duration initial;
    private final double multiplier;
    private final Duration max;
    /** The delays up to the first that reaches {@code max}: a poll looks its delay up, allocating nothing. */
    private final Duration[] delays;

    Schedule(Duration initial, double multiplier, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || !(multiplier >= 1.0)) {
            throw new IllegalArgumentException(
                    "need 0 < initial <= max and multiplier >= 1, got " + initial + ", " + multiplier + ", " + max);
        }
        this.initial = initial;
        this.multiplier = multiplier;
        this.max = max;
        List<Duration> table = new ArrayList<>();
        double nanos = initial.toNanos();
        while (nanos < max.toNanos() && table.size() < 64) {
            table.add(Duration.ofNanos((long) nanos));
            nanos *= multiplier;
        }
        table.add(max);
        this.delays = table.toArray(Duration[]::new);
    }

    Duration initial() {
        return initial;
    }

    double multiplier() {
        return multiplier;
    }

    Duration max() {
        return max;
    }

    /** The delay after a watch's {@code n}-th answer, counting from 0. */
    Duration delay(int n) {
        return delays[Math.min(n, delays.length - 1)];
    }

    static Schedule parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException(
                    "a schedule is initial,multiplier,max (such as 200ms,2,2s), got " + text);
        }
        return new Schedule(duration(parts[0]), Double.parseDouble(parts[1].trim()), duration(parts[2]));
    }

    /** {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 3m}. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String unit = t.endsWith("ms") ? "ms" : t.endsWith("s") ? "s" : t.endsWith("m") ? "m" : "";
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("a duration needs a unit (ms, s, m), got " + text);
        }
        double value = Double.parseDouble(t.substring(0, t.length() - unit.length()));
        double millis = switch (unit) {
            case "ms" -> value;
            case "s" -> value * 1_000;
            default -> value * 60_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** {@code 200ms}, {@code 2s}: the form {@link #duration} reads. */
    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** As written on the command line: {@code 200ms,2,2s}. */
    @Override
    public String toString() {
        String m = multiplier == Math.rint(multiplier) ? Long.toString((long) multiplier) : Double.toString(multiplier);
        return format(initial) + "," + m + "," + format(max);
    }
}
