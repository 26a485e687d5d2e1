package dev.taskwatch.benchmarks;

import dev.taskwatch.testkit.CatalogSimulator;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link CatalogSimulator} on its own for an external load generator, so its throughput is measured without a
 * client in the same JVM (DESIGN.md §5: at least 20,000 requests/s). Serves {@code /zones/z1/catalog_tasks/running}
 * (a 200 with a Task body) and {@code /zones/z1/catalog_tasks/done} (a 303), records nothing, prints its base URL.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.taskwatch.benchmarks.SimulatorServer 120 &amp;
 * wrk -t1 -c64 -d15s URL/zones/z1/catalog_tasks/running
 * </pre>
 */
public final class SimulatorServer {

    private SimulatorServer() {}

    /** {@code args[0]}: how many seconds to serve (default 60). */
    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
        try (CatalogSimulator sim = CatalogSimulator.builder().recordRequests(0).start()) {
            sim.task("z1", "running").running(Duration.ofDays(1));
            sim.task("z1", "done").completes("inst-1");
            System.out.println(sim.baseUrl());
            new CountDownLatch(1).await(seconds, TimeUnit.SECONDS);
        }
    }
}
