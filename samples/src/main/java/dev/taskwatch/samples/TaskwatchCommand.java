package dev.taskwatch.samples;

/** The {@code taskwatch} command. Placeholder until the demo and wait commands land. */
public final class TaskwatchCommand {
    private TaskwatchCommand() {}

    public static void main(String[] args) {
        System.err.println("taskwatch: not yet — the demo and wait commands are being built (issue 4).");
        System.exit(2);
    }
}
