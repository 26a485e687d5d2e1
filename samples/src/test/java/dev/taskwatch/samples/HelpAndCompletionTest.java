package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code --help} documents, and the completion script. */
class HelpAndCompletionTest {

    @Test
    void waitHelpDocumentsEveryFlagAndTheExitCodesWithTheirPrecedence() {
        Cli.Run run = Cli.run(Map.of(), "", false, "wait", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("--task=ID", "--tasks-from=FILE", "--for=CONDITION", "--fail-fast", "--timeout")
                .contains("--not-found-grace", "--multiplier", "--output", "--base-url")
                .contains("Exit codes:", "  0  every task met", "  1  a task failed", "  2  invalid usage")
                .contains("  3  the timeout passed first", "  4  an API or protocol error")
                .contains("the first of 2, 4, 1, 3 wins")
                .contains("--deadline=INSTANT", "--resume=TOKEN", "--print-resume-token", "RFC 3339")
                .contains("Restarted jobs:")
                .contains("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR");
        assertThat(run.out().lines()).allMatch(l -> l.length() <= 80);
    }

    @Test
    void getHelpDocumentsExitCodeFive() {
        Cli.Run run = Cli.run(Map.of(), "", false, "get", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("  5  still pending or running", "  4  an API or protocol error");
    }

    @Test
    void generateCompletionPrintsABashAndZshScriptForEveryCommand() {
        Cli.Run run = Cli.run(Map.of(), "", false, "generate-completion");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F _complete_taskwatch")
                .contains("--tasks-from", "--fail-fast", "--for", "get", "demo");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsTheCommands() {
        Cli.Run run = Cli.run(Map.of(), "", false, "--help");

        assertThat(run.out()).contains("demo", "wait", "get", "generate-completion");
    }
}
