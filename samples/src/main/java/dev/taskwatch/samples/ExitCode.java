package dev.taskwatch.samples;

/**
 * The exit codes of {@code taskwatch wait} and {@code get}: a contract that deployment scripts branch on. When several
 * apply to one {@code wait}, the first of 2, 4, 1, 3 wins ({@link #worst}).
 */
final class ExitCode {
    static final int COMPLETED = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int TIMED_OUT = 3;
    static final int API_ERROR = 4;
    /** {@code get} only: the task is still pending or running. */
    static final int NOT_TERMINAL = 5;

    /** The codes {@code wait} can end with, most important first. */
    private static final int[] PRECEDENCE = {USAGE, API_ERROR, FAILED, TIMED_OUT, COMPLETED};

    private ExitCode() {}

    /** Of two exit codes of {@code wait}, the one that takes precedence: 2 &gt; 4 &gt; 1 &gt; 3 &gt; 0. */
    static int worst(int a, int b) {
        return rank(a) <= rank(b) ? a : b;
    }

    private static int rank(int code) {
        for (int i = 0; i < PRECEDENCE.length; i++) {
            if (PRECEDENCE[i] == code) {
                return i;
            }
        }
        throw new IllegalArgumentException("not an exit code of wait: " + code);
    }
}
