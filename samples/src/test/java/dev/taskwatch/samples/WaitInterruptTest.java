package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What Ctrl-C in {@code wait} leaves behind: the shutdown hook's work ({@link WaitCommand#interrupted}), given a fake
 * terminal. The signal itself and the exit code 130 are the JVM's.
 */
class WaitInterruptTest {

    private static final String CLEAR_LINE = "\r\033[K";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ConsoleWriter console = new ConsoleWriter(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    private static Task running() {
        return Task.of("t1", TaskStatus.RUNNING, null);
    }

    @Test
    void onATerminalTheStatusLineIsClearedThenOneDiagnosticSaysWhereTheWaitStood() {
        TransitionPrinter printer = TransitionPrinter.text(console, true);
        printer.start("z1", "t1");
        printer.transition(running());

        WaitCommand.interrupted(printer, console, "z1/t1", running(), Duration.ofSeconds(9));

        String screen = out.toString(StandardCharsets.UTF_8);
        assertThat(screen)
                .as("the live line drawn, then cleared as the last thing written")
                .endsWith(CLEAR_LINE);
        assertThat(screen).contains("z1/t1  running");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("taskwatch: interrupted after 9s waiting for z1/t1 (last status running); the task itself"
                        + " goes on" + System.lineSeparator());
    }

    @Test
    void inAPipeNothingButTheDiagnosticIsAddedAndNoControlCharacter() {
        TransitionPrinter printer = TransitionPrinter.text(console, false);
        printer.start("z1", "t1");

        WaitCommand.interrupted(printer, console, "z1/t1", null, Duration.ofMillis(1500));

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("taskwatch: interrupted after 1s waiting for z1/t1 (last status unknown); the task itself"
                        + " goes on" + System.lineSeparator());
    }

    @Test
    void afterTheWaitEndedTheHookAddsNothing() {
        TransitionPrinter printer = TransitionPrinter.json(console);
        printer.start("z1", "t1");
        printer.stop();

        WaitCommand.interrupted(printer, console, "z1/t1", running(), Duration.ofSeconds(3));

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void noTransitionIsPrintedAfterTheInterrupt() {
        TransitionPrinter printer = TransitionPrinter.text(console, true);
        printer.start("z1", "t1");

        WaitCommand.interrupted(printer, console, "z1/t1", null, Duration.ZERO);
        printer.transition(running());
        printer.stop();

        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith(CLEAR_LINE).doesNotContain("running");
    }
}
