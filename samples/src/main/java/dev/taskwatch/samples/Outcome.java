package dev.taskwatch.samples;

/** How the wait for one task ended, with the exit code it stands for. */
enum Outcome {
    MET("met", ExitCode.COMPLETED),
    FAILED("failed", ExitCode.FAILED),
    TIMED_OUT("timed out", ExitCode.TIMED_OUT),
    API_ERROR("error", ExitCode.API_ERROR),
    USAGE("invalid", ExitCode.USAGE),
    /** Stopped by {@code --fail-fast} because another task failed; counts as that failure. */
    CANCELLED("cancelled", ExitCode.FAILED);

    private final String label;
    private final int exitCode;

    Outcome(String label, int exitCode) {
        this.label = label;
        this.exitCode = exitCode;
    }

    String label() {
        return label;
    }

    int exitCode() {
        return exitCode;
    }
}
