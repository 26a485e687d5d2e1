package dev.taskwatch.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.taskwatch.testkit.CatalogSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskwatch wait} in a real pseudo-terminal: {@code script} runs the command in a new JVM (this test's class
 * path, no built jar needed) with a pty for stdin and stdout, so the command itself finds out it is on a terminal.
 * Real time, necessarily (another process): tasks of about a second, with margins of tens of seconds.
 */
@EnabledOnOs(OS.LINUX)
class LiveTableOnAPtyTest {

    @Test
    void onAPseudoTerminalTheCommandDrawsTheLiveTableInColour(@TempDir Path dir) throws Exception {
        assumeThat(Path.of("/usr/bin/script")).as("util-linux script").exists();
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task("z1", "a").running(Duration.ofMillis(800)).completes("inst-a");
            sim.task("z1", "b")
                    .pending(Duration.ofMillis(300))
                    .running(Duration.ofMillis(900))
                    .completes("inst-b");
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = String.join(
                    " ",
                    List.of(
                            quote(java),
                            "-cp",
                            quote(System.getProperty("java.class.path")),
                            "dev.taskwatch.samples.TaskwatchCommand",
                            "wait",
                            "--zone",
                            "z1",
                            "--task",
                            "a",
                            "--task",
                            "b",
                            "--base-url",
                            sim.baseUrl().toString(),
                            "--initial-delay",
                            "100ms",
                            "--max-delay",
                            "200ms"));
            Path screen = dir.resolve("screen");
            Process script = new ProcessBuilder("/usr/bin/script", "-qfec", command, "/dev/null")
                    .redirectOutput(screen.toFile())
                    .redirectErrorStream(true)
                    .start();
            script.getOutputStream().close();

            assertThat(script.waitFor(45, TimeUnit.SECONDS))
                    .as("ends within 45 s")
                    .isTrue();
            String out = read(screen);
            assertThat(script.exitValue()).as(out).isZero();
            assertThat(out)
                    .contains("\r\033[K\033[A\r\033[K") // two rows erased before a redraw
                    .containsPattern("z1/a +\033\\[\\d+m")
                    .contains("\033[32mcompleted\033[0m")
                    .contains("polls")
                    .contains("taskwatch: 2 tasks: 2 met");
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
