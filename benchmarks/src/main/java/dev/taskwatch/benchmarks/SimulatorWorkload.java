package dev.taskwatch.benchmarks;

import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.RecordedRequest;
import dev.taskwatch.testkit.ScriptedTask;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The comparison's workload on taskwatch's {@link CatalogSimulator}: each {@link TaskScript} becomes a simulator task
 * pending, then running, then completing with a {@code 303} to {@code install-{task}}. The simulator counts every
 * request per task; it keeps (records) only the newest {@code recordRequests}, enough to see a measured round's
 * request gaps, and none in scale mode, where a million records would burden the server the run relies on.
 */
final class SimulatorWorkload implements Workload {

    private final CatalogSimulator simulator;
    private final Map<String, Map<String, ScriptedTask>> zones = new ConcurrentHashMap<>();

    private SimulatorWorkload(CatalogSimulator simulator) {
        this.simulator = simulator;
    }

    static Workload start(int recordRequests) {
        return new SimulatorWorkload(
                CatalogSimulator.builder().recordRequests(recordRequests).start());
    }

    @Override
    public URI baseUrl() {
        return simulator.baseUrl();
    }

    @Override
    public void script(String zone, List<TaskScript> tasks, Duration ramp) {
        Map<String, ScriptedTask> scripted = zones.computeIfAbsent(zone, z -> new ConcurrentHashMap<>());
        Instant now = simulator.clock().instant();
        int n = tasks.size();
        for (int i = 0; i < n; i++) {
            TaskScript s = tasks.get(i);
            scripted.put(
                    s.id(),
                    simulator
                            .task(zone, s.id())
                            .createdAt(now.plus(ramp.multipliedBy(i).dividedBy(n)))
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
    public int tasksPolled(String zone) {
        Map<String, ScriptedTask> scripted = zones.get(zone);
        return scripted == null
                ? 0
                : (int) scripted.values().stream()
                        .filter(t -> t.requestCount() > 0)
                        .count();
    }

    @Override
    public List<long[]> requestTimes(String zone) {
        Map<String, List<Long>> byTask = new TreeMap<>();
        for (RecordedRequest r : simulator.requests()) {
            if (zone.equals(r.zoneId()) && r.taskId() != null) {
                byTask.computeIfAbsent(r.taskId(), t -> new ArrayList<>())
                        .add(r.time().toEpochMilli());
            }
        }
        List<long[]> out = new ArrayList<>(byTask.size());
        for (List<Long> times : byTask.values()) {
            out.add(times.stream().mapToLong(Long::longValue).sorted().toArray());
        }
        return out;
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
