package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void demoEndsEveryTaskAsScriptedAndPrintsTheSummary() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = TaskwatchCommand.execute(
                new String[] {"demo"},
                new Io(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of(),
                        false));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + err).isZero();
        assertThat(printed)
                .contains("Every task ended as scripted.")
                .contains("error: package 'ledger-agent' failed its health check")
                .contains("warning: adopted entity 'billing-db'")
                .contains("install inst-throttled");
        for (DemoCommand.Scenario s : DemoCommand.SCENARIOS) {
            assertThat(printed)
                    .containsPattern(
                            "\\| " + s.taskId() + " +\\| " + s.expected().wireValue() + " ");
        }
    }

    @Test
    void unknownCommandIsAUsageError() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
        assertThat(TaskwatchCommand.execute(new String[] {"explode"}, new Io(ps, ps, Map.of(), false)))
                .isEqualTo(ExitCode.USAGE);
        assertThat(TaskwatchCommand.execute(new String[] {}, new Io(ps, ps, Map.of(), false)))
                .isEqualTo(ExitCode.USAGE);
    }
}
