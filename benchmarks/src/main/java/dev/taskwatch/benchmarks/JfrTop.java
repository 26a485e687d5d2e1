package dev.taskwatch.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest methods of a JFR recording (made with {@code PeerComparison --jfr DIR}): execution samples counted by
 * their top frame (self time) and by every frame (total time), and allocation by top allocating method.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.JfrTop results/jfr/taskwatch-r1.jfr [25]
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.JfrTop FILE 5 ConcurrentHashMap.initTable
 * </pre>
 *
 * <p>With a third argument, prints instead the commonest stacks (12 frames) of the samples and allocations whose top
 * frame contains it.
 */
public final class JfrTop {

    private JfrTop() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String focus = args.length > 2 ? args[2] : null;
        Map<String, Long> stacks = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> allocated = new HashMap<>();
        long samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            if (focus != null) {
                if (name(frames.get(0)).contains(focus)) {
                    StringBuilder sb = new StringBuilder(type);
                    frames.stream()
                            .limit(12)
                            .forEach(f -> sb.append("\n      at ").append(name(f)));
                    stacks.merge(sb.toString(), 1L, Long::sum);
                }
                continue;
            }
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                self.merge(name(frames.get(0)), 1L, Long::sum);
                frames.stream().map(JfrTop::name).distinct().forEach(n -> total.merge(n, 1L, Long::sum));
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                allocated.merge(name(frames.get(0)), e.getLong("weight"), Long::sum);
            }
        }
        if (focus != null) {
            stacks.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(top)
                    .forEach(en -> System.out.printf(Locale.ROOT, "%d × %s%n%n", en.getValue(), en.getKey()));
            return;
        }
        System.out.printf(Locale.ROOT, "%s: %d execution samples%n", file, samples);
        print("self", self, samples, top);
        print("total (inclusive)", total, samples, top);
        long bytes = allocated.values().stream().mapToLong(Long::longValue).sum();
        print("allocation by top frame (sampled bytes)", allocated, bytes, top);
    }

    private static void print(String title, Map<String, Long> counts, long all, int top) {
        System.out.printf(Locale.ROOT, "%n== %s%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(en -> System.out.printf(
                        Locale.ROOT, "%6.2f%%  %s%n", 100.0 * en.getValue() / Math.max(1, all), en.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
