package dev.taskwatch.samples;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may touch of the outside world, passed in so tests can capture it.
 *
 * @param in standard input ({@code wait --tasks-from -})
 * @param out standard output: only results (transitions, the demo's table)
 * @param err standard error: diagnostics
 * @param env the environment variables (credentials and base URL come only from here)
 * @param terminal whether stdout is an interactive terminal (enables the live table and colour)
 */
record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {

    /** With nothing on standard input. */
    Io(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        this(new ByteArrayInputStream(new byte[0]), out, err, env, terminal);
    }

    static Io system() {
        return new Io(System.in, System.out, System.err, System.getenv(), System.console() != null);
    }

    /**
     * Whether output to the terminal may be coloured: only on a terminal, never when {@code NO_COLOR} is set to
     * anything (no-color.org) or the terminal says it is dumb.
     */
    boolean colour() {
        String noColor = env.get("NO_COLOR");
        return terminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
    }
}
