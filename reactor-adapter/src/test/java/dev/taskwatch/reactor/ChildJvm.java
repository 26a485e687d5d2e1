package dev.taskwatch.reactor;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a test class's {@code main} in a JVM of its own, on the test class path, and returns all it printed. */
final class ChildJvm {

    /** What the child printed (stdout and stderr interleaved) and how it exited. */
    record Result(int exitCode, String output, Path file) {}

    private ChildJvm() {}

    static Result run(Class<?> main, List<String> jvmArgs, List<String> args, Path out)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(testClassPath());
        command.add(main.getName());
        command.addAll(args);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!child.waitFor(150, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(main.getSimpleName() + " did not end within 150 s; output in " + out);
        }
        return new Result(child.exitValue(), Files.readString(out, StandardCharsets.UTF_8), out);
    }

    /** Surefire puts the test class path in this property; outside surefire, the JVM's own class path. */
    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, cp.split(File.pathSeparator));
    }
}
