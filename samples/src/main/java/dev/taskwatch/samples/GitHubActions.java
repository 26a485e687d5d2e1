package dev.taskwatch.samples;

import dev.taskwatch.core.internal.SafeText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code wait} tells GitHub Actions when it runs in a workflow ({@code GITHUB_ACTIONS=true}): an {@code ::error}
 * workflow command per task that failed or timed out, and a Markdown table appended to the file named by
 * {@code GITHUB_STEP_SUMMARY}. Server text is made safe by {@link SafeText} first, then escaped as the runner requires.
 * The commands go to standard error, which the runner reads for them as it does standard output, so that JSON output
 * stays nothing but tasks.
 */
final class GitHubActions {

    private final @Nullable Path stepSummary;

    private GitHubActions(@Nullable Path stepSummary) {
        this.stepSummary = stepSummary;
    }

    /** Null unless the environment says this runs in a GitHub Actions workflow. */
    static @Nullable GitHubActions from(Map<String, String> env) {
        if (!"true".equals(env.get("GITHUB_ACTIONS"))) {
            return null;
        }
        String summary = env.get("GITHUB_STEP_SUMMARY");
        return new GitHubActions(summary == null || summary.isBlank() ? null : Path.of(summary));
    }

    /** The {@code ::error} command for a task that did not meet the condition, or null if it did. */
    static @Nullable String annotation(String label, TaskResult result) {
        if (result.outcome() == Outcome.MET || result.outcome() == Outcome.CANCELLED) {
            return null;
        }
        String title = "taskwatch: " + label + " " + result.outcome().label();
        String message = result.message() == null ? title : SafeText.escape(result.message(), 2000);
        return "::error title=" + property(title) + "::" + data(message);
    }

    /**
     * Appends the summary table to the step-summary file, if one is named. Written by the main thread at the end of
     * the wait. A file that cannot be written is reported, and changes no exit code.
     *
     * @return a diagnostic if the file could not be written, else null
     */
    @Nullable
    String appendSummary(String zone, List<TaskResult> results) {
        if (stepSummary == null) {
            return null;
        }
        try {
            Files.writeString(
                    stepSummary,
                    summaryTable(zone, results),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            return null;
        } catch (IOException | RuntimeException e) {
            return "could not append to GITHUB_STEP_SUMMARY: " + e;
        }
    }

    static String summaryTable(String zone, List<TaskResult> results) {
        StringBuilder sb = new StringBuilder()
                .append("### taskwatch: zone ")
                .append(cell(zone))
                .append("\n\n| Task | Outcome | Install id | Polls | Elapsed |\n|---|---|---|---:|---:|\n");
        for (TaskResult r : results) {
            String install = r.installId() == null ? "" : r.installId();
            sb.append("| ")
                    .append(cell(r.taskId()))
                    .append(" | ")
                    .append(cell(r.shown()))
                    .append(" | ")
                    .append(cell(install))
                    .append(" | ")
                    .append(r.polls())
                    .append(" | ")
                    .append(TaskResult.seconds(r.elapsed()))
                    .append(" |\n");
        }
        return sb.append('\n').toString();
    }

    /** Text in a Markdown table cell: safe, on one line, no column break, no markup. */
    private static String cell(String text) {
        String safe = SafeText.escape(text, 300);
        StringBuilder sb = new StringBuilder(safe.length());
        for (int i = 0; i < safe.length(); i++) {
            char c = safe.charAt(i);
            if ("\\|`*_[]<>#".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** A workflow command's message: {@code %}, CR and LF escaped. */
    static String data(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A workflow command's property value: as {@link #data}, and {@code :} and {@code ,} too. */
    static String property(String text) {
        return data(text).replace(":", "%3A").replace(",", "%2C");
    }
}
