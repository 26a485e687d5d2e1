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
        // No warm-up phase, to stay short: a warm-up phase is the measured phase's code, and the child still closes
        // the measured system and builds the next before it is told to exit.
        PeerComparison.Options options =
                PeerComparison.Options.parse("--watches", "5", "--quick", "--warmup-phases", "0");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<PeerComparison.Result> results;
        try (Workload workload = SimulatorWorkload.start(options.recordRequests())) {
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
                        "cpu_ms_per_1k_polls_excl_jit",
                        "heap_kb_per_watch",
                        "threads",
                        "p50_detect_ms",
                        "p99_detect_ms",
                        "requests_per_task");
        assertThat(Arrays.stream(lines).skip(2).map(l -> cells(l).get(0)))
                .containsExactly(
                        "taskwatch",
                        "azure-core PollerFlux",
                        "aws AsyncWaiter (netty-nio-client)",
                        "aws AsyncWaiter (Reactor Netty)",
                        "floor");
        for (PeerComparison.Result r : results) {
            assertThat(r.polls()).as(r.kind().label + " polls").isGreaterThan(0);
            assertThat(r.errors()).as(r.kind().label + " errors").isZero();
            // At least one request per task; not two, since on a loaded machine a first poll can come after the end.
            assertThat(r.requestsPerTask())
                    .as(r.kind().label + " requests per task")
                    .isGreaterThanOrEqualTo(1);
            assertThat(r.p50DetectMs()).as(r.kind().label + " p50 detection").isBetween(0.0, 12_000.0);
            assertThat(r.threads()).as(r.kind().label + " threads").isPositive();
            assertThat(r.cpuMsPer1kPolls())
                    .as(r.kind().label + " cpu")
                    .isFinite()
                    .isPositive();
            // Compiler threads are read from /proc: the build runs on Linux, so the column must be there.
            assertThat(r.cpuMsPer1kPollsExclJit())
                    .as(r.kind().label + " cpu without compiler threads")
                    .isFinite()
                    .isPositive()
                    .isLessThanOrEqualTo(r.cpuMsPer1kPolls());
            assertThat(r.heapKbPerWatch()).as(r.kind().label + " heap").isFinite();
            assertThat(r.peakLive()).as(r.kind().label + " peak live watches").isEqualTo(5);
        }
    }

    private static List<String> cells(String line) {
        return Arrays.stream(line.split("\\|"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
