package dev.taskwatch.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PeerComparisonTest {

    @Test
    @Timeout(120)
    void quickComparisonGivesEveryRowPollsAndEveryColumn() throws Exception {
        PeerComparison.Options options = PeerComparison.Options.parse("--watches", "5", "--quick", "--warmup", "0");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<PeerComparison.Result> results;
        try (Workload workload = SimulatorWorkload.start()) {
            results = PeerComparison.run(options, workload, new PrintStream(log, true, StandardCharsets.UTF_8));
        }
        String table = PeerComparison.table(results);
        System.out.println(log.toString(StandardCharsets.UTF_8));
        System.out.println(table);

        String[] lines = table.split("\n");
        assertThat(cells(lines[0]))
                .containsExactly(
                        "system",
                        "polls",
                        "cpu_ms_per_1k_polls",
                        "heap_kb_per_watch",
                        "threads",
                        "p50_detect_ms",
                        "p99_detect_ms",
                        "requests_per_task");
        assertThat(Arrays.stream(lines).skip(2).map(l -> cells(l).get(0)))
                .containsExactly("taskwatch", "azure-core PollerFlux", "aws AsyncWaiter", "floor");
        for (PeerComparison.Result r : results) {
            assertThat(r.polls()).as(r.kind().label + " polls").isGreaterThan(0);
            assertThat(r.errors()).as(r.kind().label + " errors").isZero();
            // At least one request per task; not two, since on a loaded machine a first poll can come after the end.
            assertThat(r.requestsPerTask())
                    .as(r.kind().label + " requests per task")
                    .isGreaterThanOrEqualTo(1);
            assertThat(r.p50DetectMs()).as(r.kind().label + " p50 detection").isBetween(0.0, 12_000.0);
            assertThat(r.threads()).as(r.kind().label + " threads").isPositive();
        }
    }

    private static List<String> cells(String line) {
        return Arrays.stream(line.split("\\|"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
