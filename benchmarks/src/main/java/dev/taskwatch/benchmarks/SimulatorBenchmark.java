package dev.taskwatch.benchmarks;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.testkit.CatalogSimulator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * How many task status requests per second the simulator answers, driven by taskwatch's client in the same JVM
 * ({@value #BATCH} requests in flight per invocation over keep-alive connections). Client and server share the
 * machine's cores, so this is a lower bound for the server alone.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SimulatorBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SimulatorBenchmark {

    static final int BATCH = 64;

    /** {@code running}: a 200 with a Task body; {@code completed}: a 303 with no body. */
    @Param({"running", "completed"})
    public String answer;

    private CatalogSimulator simulator;
    private CatalogTasksClient client;

    @Setup
    public void setUp() {
        simulator = CatalogSimulator.builder().recordRequests(16).start();
        if (answer.equals("running")) {
            simulator.task("zone-1", "task-1").running(Duration.ofDays(1));
        } else {
            simulator.task("zone-1", "task-1").completes("install-1");
        }
        client = CatalogTasksClient.builder()
                .baseUrl(simulator.baseUrl())
                .credentials(Credentials.none())
                .build();
    }

    @TearDown
    public void tearDown() {
        client.close();
        simulator.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long requests() {
        Long n = Flux.range(0, BATCH)
                .flatMap(i -> client.retrieve("zone-1", "task-1"), BATCH)
                .count()
                .block();
        return n == null ? 0 : n;
    }
}
