package dev.taskwatch.benchmarks;

import dev.taskwatch.core.Task;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TaskJson} both ways, on a minimal running task and on a full one (links, warnings, package fields).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CodecBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    static final String MINIMAL =
            "{\"id\":\"task-00001\",\"created_at\":\"2026-11-28T20:00:00Z\",\"operation\":\"create\","
                    + "\"status\":\"running\",\"updated_at\":\"2026-11-28T20:00:05.123Z\"}";

    static final String FULL =
            "{\"id\":\"task-00001\",\"created_at\":\"2026-11-28T20:00:00Z\",\"operation\":\"delete\","
                    + "\"status\":\"failed\",\"updated_at\":\"2026-11-28T20:00:05.123+02:00\","
                    + "\"error_message\":\"package not found\",\"install_id\":\"install-42\","
                    + "\"links\":[{\"href\":\"https://api.keycard.ai/zones/z1/installs/install-42\",\"rel\":\"install\","
                    + "\"properties\":{\"region\":\"eu\",\"weight\":3},\"titles\":{\"en\":\"Install\",\"de\":\"Installation\"},"
                    + "\"type\":\"application/json\"}],"
                    + "\"package_id\":\"pkg-7\",\"package_slug\":\"acme-sso\",\"package_version\":12,"
                    + "\"warnings\":[{\"code\":\"conflict\",\"details\":[{\"code\":\"conflict\",\"field\":\"entity\","
                    + "\"message\":\"adopted entity kept\"}],\"message\":\"adopted entities will be kept\","
                    + "\"path\":\"/zones/z1/catalog_tasks/task-00001\",\"request_id\":\"req-1\",\"status\":409,"
                    + "\"timestamp\":\"2026-11-28T20:00:05Z\"}]}";

    @Param({"minimal", "full"})
    public String shape;

    private String json;
    private Task task;

    @Setup
    public void setUp() {
        json = shape.equals("full") ? FULL : MINIMAL;
        task = Task.fromJson(json);
    }

    @Benchmark
    public Task decode() {
        return Task.fromJson(json);
    }

    @Benchmark
    public String encode() {
        return task.toJson();
    }
}
