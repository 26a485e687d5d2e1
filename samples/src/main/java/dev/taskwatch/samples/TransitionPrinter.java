package dev.taskwatch.samples;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.Warning;
import dev.taskwatch.core.internal.SafeText;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * How {@code wait} prints transitions: readable lines (with a live table, one row per task, on a terminal) or JSON
 * lines. The server's text in readable lines is escaped ({@link SafeText}): it cannot move the cursor, colour, forge
 * lines or reorder text. JSON lines carry it as JSON strings, exactly as the API sent it. Everything goes through the
 * {@link ConsoleWriter}; callers on any thread only hand text over.
 */
abstract class TransitionPrinter {

    /** Starts printing for these tasks of one zone (distinct ids, in the order given). */
    abstract void start(String zone, List<String> tasks);

    final void start(String zone, String task) {
        start(zone, List.of(task));
    }

    abstract void transition(Task task);

    /** The wait for one task ended (its row in the live table shows how); nothing is printed for it otherwise. */
    abstract void ended(TaskResult result);

    /** A diagnostic line on standard error, kept clear of the live table. */
    abstract void diagnostic(String line);

    abstract void stop();

    /**
     * Ends the output at once, as on Ctrl-C: on a terminal the live table is cleared, so that what follows starts on a
     * clean line. Returns whether it was still running (not stopped or interrupted before).
     */
    abstract boolean interrupt();

    /** Exactly one Task object per transition per line, API field names, nothing else. */
    static TransitionPrinter json(ConsoleWriter console) {
        return new TransitionPrinter() {
            private boolean ended;

            @Override
            void start(String zone, List<String> tasks) {}

            @Override
            synchronized void transition(Task task) {
                if (!ended) {
                    console.outLine(task.toJson());
                }
            }

            @Override
            void ended(TaskResult result) {}

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

    /** Readable lines, without colour; on a terminal with the live table (polls not shown). */
    static TransitionPrinter text(ConsoleWriter console, boolean terminal) {
        return new Text(console, terminal, false, id -> -1);
    }

    /**
     * Readable lines; on a terminal, also a live table below them.
     *
     * @param colour whether statuses may be coloured (only ever on a terminal)
     * @param polls the number of requests sent so far for a task id, or a negative number to leave it out
     */
    static TransitionPrinter text(
            ConsoleWriter console, boolean terminal, boolean colour, ToIntFunction<String> polls) {
        return new Text(console, terminal, colour && terminal, polls);
    }

    /**
     * One line per transition; on a terminal, also a table of every task (id, status, polls, elapsed) redrawn in place
     * below them. Each redraw is one write of the whole frame (erase the rows, draw them again), so the terminal never
     * shows a half-drawn table.
     */
    private static final class Text extends TransitionPrinter {
        private static final String SPINNER = "|/-\\";
        static final String CLEAR_LINE = "\r\033[K";
        private static final String UP = "\033[A";
        /** Long labels are cut in the table so that a row never wraps on an 80-column terminal. */
        private static final int LABEL_WIDTH = 40;

        private final ConsoleWriter console;
        private final boolean terminal;
        private final boolean colour;
        private final ToIntFunction<String> polls;
        private final Map<String, Row> rows = new LinkedHashMap<>();
        private Instant started = Instant.now();
        private int labelWidth;
        private int frame;
        private int drawn;
        private boolean ended;
        private @Nullable Disposable ticker;

        Text(ConsoleWriter console, boolean terminal, boolean colour, ToIntFunction<String> polls) {
            this.console = console;
            this.terminal = terminal;
            this.colour = colour;
            this.polls = polls;
        }

        private static final class Row {
            final String taskId;
            final String label;
            String status = "waiting";

            @Nullable
            Duration elapsed;

            Row(String taskId, String label) {
                this.taskId = taskId;
                this.label = label;
            }
        }

        @Override
        synchronized void start(String zone, List<String> tasks) {
            for (String task : tasks) {
                Row row = new Row(task, SafeText.escape(zone + "/" + task, 300));
                rows.put(task, row);
                labelWidth = Math.max(labelWidth, Math.min(LABEL_WIDTH, row.label.length()));
            }
            started = Instant.now();
            if (terminal) {
                console.out(table());
                ticker = Flux.interval(Duration.ofMillis(125), Schedulers.boundedElastic())
                        .subscribe(tick -> redraw());
            }
        }

        @Override
        synchronized void transition(Task task) {
            Row row = rows.get(task.id());
            if (ended || row == null) {
                return;
            }
            row.status = SafeText.escape(task.statusValue(), 64);
            if (task.status().isTerminal()) {
                row.elapsed = Duration.between(started, Instant.now());
            }
            if (terminal) {
                console.out(clear() + line(row, task) + System.lineSeparator() + table());
            } else {
                console.outLine(line(row, task));
            }
        }

        @Override
        synchronized void ended(TaskResult result) {
            Row row = rows.get(result.taskId());
            if (row != null && row.elapsed == null) {
                row.elapsed = result.elapsed();
                if (result.outcome() != Outcome.MET) {
                    row.status = result.outcome().label();
                }
                redraw();
            }
        }

        @Override
        synchronized void diagnostic(String line) {
            if (terminal && !ended) {
                console.out(clear());
                console.errLine(line);
                console.out(table());
            } else {
                console.errLine(line);
            }
        }

        @Override
        synchronized void stop() {
            end();
        }

        @Override
        synchronized boolean interrupt() {
            return end();
        }

        /** Stops the ticker and clears the table; returns whether it had not ended before. */
        private boolean end() {
            if (ended) {
                return false;
            }
            ended = true;
            if (ticker != null) {
                ticker.dispose();
            }
            if (terminal) {
                console.out(clear());
            }
            return true;
        }

        private synchronized void redraw() {
            if (terminal && !ended) {
                console.out(clear() + table());
            }
        }

        /** Erases the rows drawn, leaving the cursor at the start of the first one. */
        private String clear() {
            StringBuilder sb = new StringBuilder(CLEAR_LINE);
            for (int i = 1; i < drawn; i++) {
                sb.append(UP).append(CLEAR_LINE);
            }
            drawn = 0;
            return sb.toString();
        }

        /** Every row, the cursor left at the end of the last (no line break, so nothing scrolls). */
        private String table() {
            StringBuilder sb = new StringBuilder();
            Instant now = Instant.now();
            char spin = SPINNER.charAt(frame++ % SPINNER.length());
            for (Row row : rows.values()) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                Duration elapsed = row.elapsed != null ? row.elapsed : Duration.between(started, now);
                sb.append(row.elapsed == null ? spin : ' ')
                        .append(' ')
                        .append(pad(cut(row.label), labelWidth))
                        .append("  ")
                        .append(coloured(row.status, pad(row.status, 10)));
                int n = polls.applyAsInt(row.taskId);
                if (n >= 0) {
                    sb.append("  polls ").append(pad(Integer.toString(n), 4));
                }
                sb.append("  ").append(elapsed.toSeconds()).append('s');
            }
            drawn = rows.size();
            return sb.toString();
        }

        private String line(Row row, Task task) {
            StringBuilder sb = new StringBuilder()
                    .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .append("  ")
                    .append(row.label)
                    .append("  ")
                    .append(coloured(row.status, row.status));
            describe(task, sb);
            return sb.toString();
        }

        /** {@code shown} in the colour of {@code status}, when colour is on. */
        private String coloured(String status, String shown) {
            if (!colour) {
                return shown;
            }
            String code = switch (status) {
                case "completed", "met" -> "32"; // green
                case "failed", "error", "invalid" -> "31"; // red
                case "timed out", "cancelled" -> "35"; // magenta
                case "running" -> "33"; // yellow
                default -> "36"; // cyan: pending, waiting, statuses unknown to us
            };
            return "\033[" + code + "m" + shown + "\033[0m";
        }

        private static String cut(String label) {
            return label.length() <= LABEL_WIDTH ? label : label.substring(0, LABEL_WIDTH - 1) + "~";
        }

        private static String pad(String s, int width) {
            return s.length() >= width ? s : s + " ".repeat(width - s.length());
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
