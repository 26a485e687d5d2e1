package dev.taskwatch.benchmarks;

import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ScriptedTask;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The comparison's workload on taskwatch's {@link CatalogSimulator}: each {@link TaskScript} becomes a simulator task
 * pending, then running, then completing with a {@code 303} to {@code install-{task}}. The simulator keeps only a
 * few recorded requests (it counts them all), so 10,000 watches do not fill the coordinator's heap.
 */
final class SimulatorWorkload implements Workload {

    private final CatalogSimulator simulator;
    private final Map<String, Map<String, ScriptedTask>> zones = new ConcurrentHashMap<>();

    private SimulatorWorkload(CatalogSimulator simulator) {
        this.simulator = simulator;
    }

    static Workload start() {
        return new SimulatorWorkload(
                CatalogSimulator.builder().recordRequests(1_000).start());
    }

    @Override
    public URI baseUrl() {
        return simulator.baseUrl();
    }

    @Override
    public void script(String zone, List<TaskScript> tasks) {
        Map<String, ScriptedTask> scripted = zones.computeIfAbsent(zone, z -> new ConcurrentHashMap<>());
        Instant now = simulator.clock().instant();
        for (TaskScript s : tasks) {
            scripted.put(
                    s.id(),
                    simulator
                            .task(zone, s.id())
                            .createdAt(now)
                            .pending(s.pendingFor())
                            .running(s.runningFor())
                            .completes("install-" + s.id()));
        }
    }

    @Override
    public Instant completedAt(String zone, String taskId) {
        return zones.get(zone).get(taskId).terminalAt();
    }

    @Override
    public long requests(String zone) {
        Map<String, ScriptedTask> scripted = zones.get(zone);
        return scripted == null
                ? 0
                : scripted.values().stream()
                        .mapToLong(ScriptedTask::requestCount)
                        .sum();
    }

    @Override
    public String describe() {
        return "CatalogSimulator at " + simulator.baseUrl();
    }

    @Override
    public void close() {
        simulator.close();
    }
}
