package dev.taskwatch.samples;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may touch of the outside world, passed in so tests can capture it.
 *
 * @param out standard output: only results (transitions, the demo's table)
 * @param err standard error: diagnostics
 * @param env the environment variables (credentials and base URL come only from here)
 * @param terminal whether stdout is an interactive terminal (enables the live status line)
 */
record Io(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {

    static Io system() {
        return new Io(System.out, System.err, System.getenv(), System.console() != null);
    }
}
