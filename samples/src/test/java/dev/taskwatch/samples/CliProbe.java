package dev.taskwatch.samples;

import dev.taskwatch.testkit.CatalogSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: runs the built {@code taskwatch.jar} against a simulator in this JVM, for the numbers and the transcript
 * in BENCHMARKS.md and the issue note.
 *
 * <pre>
 * java -cp samples/target/test-classes:samples/target/taskwatch.jar dev.taskwatch.samples.CliProbe startup JAR 20
 * java -cp samples/target/test-classes:samples/target/taskwatch.jar dev.taskwatch.samples.CliProbe transcript JAR
 * </pre>
 *
 * {@code startup}: time from just before the process is started to the first request's arrival at the simulator (its
 * recorded wall-clock time), for {@code get}, after two unmeasured runs (warm disk cache); prints each run and the
 * median, min and max.
 */
final class CliProbe {

    private CliProbe() {}

    public static void main(String[] args) throws Exception {
        String jar = args[1];
        if (args[0].equals("startup")) {
            startup(jar, Integer.parseInt(args[2]), List.of(args).subList(3, args.length));
        } else {
            transcript(jar);
        }
    }

    /**
     * Each variant (a string of JVM flags, empty for none) runs {@code runs} times, the variants in rotation so that
     * the machine's load falls on all alike; two unmeasured rounds first.
     */
    private static void startup(String jar, int runs, List<String> variants) throws Exception {
        List<String> flagSets = variants.isEmpty() ? List.of("") : variants;
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task("z1", "t1").completes("inst-1");
            List<List<Long>> millis = new ArrayList<>();
            flagSets.forEach(f -> millis.add(new ArrayList<>()));
            for (int i = -2; i < runs; i++) {
                for (int v = 0; v < flagSets.size(); v++) {
                    long ms = firstRequestMillis(sim, jar, flagSets.get(v));
                    if (i >= 0) {
                        millis.get(v).add(ms);
                    }
                }
            }
            for (int v = 0; v < flagSets.size(); v++) {
                List<Long> m = millis.get(v);
                m.sort(null);
                System.out.println("[" + flagSets.get(v) + "] median " + m.get(m.size() / 2) + " ms, min " + m.get(0)
                        + " ms, max " + m.get(m.size() - 1) + " ms over " + runs + " runs: " + m);
            }
        }
    }

    private static long firstRequestMillis(CatalogSimulator sim, String jar, String flags) throws Exception {
        sim.clearRequests();
        List<String> command = new ArrayList<>(List.of(java()));
        for (String f : flags.split(" ")) {
            if (!f.isBlank()) {
                command.add(f);
            }
        }
        command.addAll(List.of(
                "-jar",
                jar,
                "get",
                "--zone",
                "z1",
                "--task",
                "t1",
                "--base-url",
                sim.baseUrl().toString()));
        Instant start = Instant.now();
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException("exit " + code);
        }
        return Duration.between(start, sim.requests().get(0).time()).toMillis();
    }

    private static void transcript(String jar) throws Exception {
        for (String output : List.of("text", "json")) {
            try (CatalogSimulator sim = CatalogSimulator.start()) {
                // Phases counted from now: the JVM that runs the command takes seconds to send its first poll here.
                sim.task("z1", "web")
                        .pending(Duration.ofSeconds(4))
                        .running(Duration.ofSeconds(3))
                        .completes("inst-7");
                sim.task("z1", "db").running(Duration.ofSeconds(6)).fails("migration 42 failed: 100% of retries used");
                sim.task("z1", "cache")
                        .notFoundFor(2)
                        .running(Duration.ofSeconds(8))
                        .completes("inst-9");
                List<String> command = List.of(
                        java(),
                        "-jar",
                        jar,
                        "wait",
                        "--zone",
                        "z1",
                        "--task",
                        "web",
                        "--task",
                        "db",
                        "--task",
                        "cache",
                        "--base-url",
                        sim.baseUrl().toString(),
                        "--initial-delay",
                        "250ms",
                        "--max-delay",
                        "1s",
                        "--output",
                        output);
                System.out.println(
                        "$ taskwatch wait --zone z1 --task web --task db --task cache --output " + output + " ...");
                Process p = new ProcessBuilder(command).inheritIO().start();
                System.out.println("exit " + p.waitFor());
            }
        }
    }

    private static String java() throws IOException {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
