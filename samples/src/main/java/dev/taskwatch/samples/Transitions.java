package dev.taskwatch.samples;

import dev.taskwatch.core.SafeText;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskJson;
import dev.taskwatch.core.Warning;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * How {@code wait} prints transitions: readable lines (with a live status line on a terminal) or JSON lines. The
 * server's text in readable lines is escaped ({@link SafeText}): it cannot move the cursor, colour, forge lines or
 * reorder text. JSON lines carry it as JSON strings, exactly as the API sent it.
 */
abstract class Transitions {

    abstract void start(String zone, String task);

    abstract void transition(Task task);

    /** A diagnostic line on standard error, kept clear of the live status line. */
    abstract void diagnostic(String line);

    abstract void stop();

    /**
     * Ends the output at once, as on Ctrl-C: on a terminal the live status line is cleared, so that what follows
     * starts on a clean line. Returns whether it was still running (not stopped or interrupted before).
     */
    abstract boolean interrupt();

    /** Exactly one Task object per transition per line, API field names, nothing else. */
    static Transitions json(ConsoleWriter console) {
        return new Transitions() {
            private boolean ended;

            @Override
            void start(String zone, String task) {}

            @Override
            synchronized void transition(Task task) {
                if (!ended) {
                    console.outLine(TaskJson.encode(task));
                }
            }

            @Override
            void diagnostic(String line) {
                console.errLine(line);
            }

            @Override
            synchronized void stop() {
                ended = true;
            }

            @Override
            synchronized boolean interrupt() {
                boolean running = !ended;
                ended = true;
                return running;
            }
        };
    }

    static Transitions text(ConsoleWriter console, boolean terminal) {
        return new Text(console, terminal);
    }

    /** One line per transition; on a terminal, also a status line redrawn in place below them. */
    private static final class Text extends Transitions {
        private static final String SPINNER = "|/-\\";
        static final String CLEAR_LINE = "\r\033[K";

        private final ConsoleWriter console;
        private final boolean terminal;
        private String label = "";
        private String status = "waiting";
        private Instant started = Instant.now();
        private int frame;
        private boolean ended;
        private @Nullable Disposable ticker;

        Text(ConsoleWriter console, boolean terminal) {
            this.console = console;
            this.terminal = terminal;
        }

        @Override
        synchronized void start(String zone, String task) {
            label = SafeText.escape(zone + "/" + task, 300);
            started = Instant.now();
            if (terminal) {
                ticker = Flux.interval(Duration.ofMillis(125), Schedulers.boundedElastic())
                        .subscribe(tick -> redraw());
            }
        }

        @Override
        synchronized void transition(Task task) {
            if (ended) {
                return;
            }
            status = SafeText.escape(task.statusValue(), 64);
            clearStatusLine();
            console.outLine(line(task));
            redraw();
        }

        @Override
        synchronized void diagnostic(String line) {
            clearStatusLine();
            console.errLine(line);
            redraw();
        }

        @Override
        synchronized void stop() {
            end();
        }

        @Override
        synchronized boolean interrupt() {
            return end();
        }

        /** Stops the ticker and clears its line; returns whether it had not ended before. */
        private boolean end() {
            if (ended) {
                return false;
            }
            ended = true;
            if (ticker != null) {
                ticker.dispose();
            }
            clearStatusLine();
            return true;
        }

        private void clearStatusLine() {
            if (terminal) {
                console.out(CLEAR_LINE);
            }
        }

        private synchronized void redraw() {
            if (terminal && !ended) {
                long seconds = Duration.between(started, Instant.now()).toSeconds();
                console.out(CLEAR_LINE + SPINNER.charAt(frame++ % SPINNER.length()) + " " + label + "  " + status + "  "
                        + seconds + "s");
            }
        }

        private String line(Task task) {
            StringBuilder sb = new StringBuilder()
                    .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .append("  ")
                    .append(label)
                    .append("  ")
                    .append(status);
            describe(task, sb);
            return sb.toString();
        }
    }

    /** The install id (once the task ended), error message and warnings of a task, escaped, appended to a line. */
    static void describe(Task task, StringBuilder sb) {
        if (task.installId() != null && task.status().isTerminal()) {
            sb.append("  install ").append(SafeText.escape(task.installId(), 128));
        }
        if (task.errorMessage() != null) {
            sb.append("  error: ").append(SafeText.escape(task.errorMessage(), 1000));
        }
        for (Warning w : task.warnings()) {
            String text = w.message() != null ? w.message() : w.codeValue();
            sb.append("  warning: ").append(text == null ? "(no message)" : SafeText.escape(text, 500));
        }
    }
}
