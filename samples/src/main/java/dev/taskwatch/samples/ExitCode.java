package dev.taskwatch.samples;

/** The exit codes of {@code taskwatch wait}: a contract that deployment scripts branch on. */
final class ExitCode {
    static final int COMPLETED = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int TIMED_OUT = 3;
    static final int API_ERROR = 4;

    private ExitCode() {}
}
