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
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * How many task status requests per second the simulator answers, driven by taskwatch's client in the same JVM
 * ({@value #BATCH} requests in flight per invocation over keep-alive connections). Client and server share the
 * machine's cores, so this is a lower bound for the server alone.
 *
 * <p>{@code requestsWithClientRequestId} is the watcher's own path (a fresh {@code X-Client-Request-ID} per poll);
 * {@code floorRequests} is the bare Reactor Netty + Jackson request of {@link FloorSystem} against the same server,
 * so that with {@code -prof gc} the difference in B/op is what taskwatch's client adds per request.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SimulatorBenchmark -prof gc
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

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private CatalogSimulator simulator;
    private CatalogTasksClient client;
    private ConnectionProvider floorProvider;
    private HttpClient floor;
    private String url;

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
        floorProvider = ConnectionProvider.builder("floor")
                .maxConnections(64)
                .pendingAcquireMaxCount(-1)
                .build();
        floor = HttpClient.create(floorProvider);
        url = WatchSystem.taskUrl(simulator.baseUrl(), "zone-1", "task-1");
    }

    @TearDown
    public void tearDown() {
        client.close();
        floorProvider.dispose();
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

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long requestsWithClientRequestId() {
        Long n = Flux.range(0, BATCH)
                .flatMap(i -> client.exchange("zone-1", "task-1", "3f2a9c1e-7d4b-4e0a-9b6f-1c2d3e4f5a6b"), BATCH)
                .count()
                .block();
        return n == null ? 0 : n;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long floorRequests() {
        Long n = Flux.range(0, BATCH)
                .flatMap(
                        i -> floor.get().uri(url).responseSingle((response, body) -> {
                            if (response.status().code() == 303) {
                                return body.then(Mono.just("completed"));
                            }
                            return body.asByteArray()
                                    .map(bytes ->
                                            MAPPER.readTree(bytes).get("status").asString());
                        }),
                        BATCH)
                .count()
                .block();
        return n == null ? 0 : n;
    }
}
