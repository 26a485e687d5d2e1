package dev.taskwatch.samples;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskJson;
import dev.taskwatch.core.Warning;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** How {@code wait} prints transitions: readable lines (with a live status line on a terminal) or JSON lines. */
abstract class Transitions {

    abstract void start(String zone, String task);

    abstract void transition(Task task);

    abstract void stop();

    /** Exactly one Task object per transition per line, API field names, nothing else. */
    static Transitions json(PrintStream out) {
        return new Transitions() {
            @Override
            void start(String zone, String task) {}

            @Override
            void transition(Task task) {
                out.println(TaskJson.encode(task));
                out.flush();
            }

            @Override
            void stop() {}
        };
    }

    static Transitions text(PrintStream out, boolean terminal) {
        return new Text(out, terminal);
    }

    /** One line per transition; on a terminal, also a status line redrawn in place below them. */
    private static final class Text extends Transitions {
        private static final String SPINNER = "|/-\\";
        private static final String CLEAR_LINE = "\r\033[K";

        private final PrintStream out;
        private final boolean terminal;
        private String label = "";
        private String status = "waiting";
        private Instant started = Instant.now();
        private int frame;
        private @Nullable Disposable ticker;

        Text(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        synchronized void start(String zone, String task) {
            label = zone + "/" + task;
            started = Instant.now();
            if (terminal) {
                // Writing to a terminal blocks: keep it on a thread meant for that.
                ticker = Flux.interval(Duration.ofMillis(125), Schedulers.boundedElastic())
                        .subscribe(tick -> redraw());
            }
        }

        @Override
        synchronized void transition(Task task) {
            status = task.statusValue();
            if (terminal) {
                out.print(CLEAR_LINE);
            }
            out.println(line(task));
            redraw();
        }

        @Override
        synchronized void stop() {
            if (ticker != null) {
                ticker.dispose();
                out.print(CLEAR_LINE);
            }
            out.flush();
        }

        private synchronized void redraw() {
            if (terminal && ticker != null && !ticker.isDisposed()) {
                long seconds = Duration.between(started, Instant.now()).toSeconds();
                out.print(CLEAR_LINE + SPINNER.charAt(frame++ % SPINNER.length()) + " " + label + "  " + status + "  "
                        + seconds + "s");
                out.flush();
            }
        }

        private String line(Task task) {
            StringBuilder sb = new StringBuilder()
                    .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .append("  ")
                    .append(label)
                    .append("  ")
                    .append(task.statusValue());
            describe(task, sb);
            return sb.toString();
        }
    }

    /** The install id (once the task ended), error message and warnings of a task, appended to a line. */
    static void describe(Task task, StringBuilder sb) {
        if (task.installId() != null && task.status().isTerminal()) {
            sb.append("  install ").append(task.installId());
        }
        if (task.errorMessage() != null) {
            sb.append("  error: ").append(task.errorMessage());
        }
        for (Warning w : task.warnings()) {
            sb.append("  warning: ").append(w.message() != null ? w.message() : w.codeValue());
        }
    }
}
