package dev.taskwatch.benchmarks;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskJson;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A throwaway scripted catalog on loopback, for testing the harness alone: {@code 200} with the Task while pending or
 * running, {@code 303} to the install once completed. The comparison itself runs on {@code CatalogSimulator}.
 */
final class LoopbackCatalog implements Workload {

    private record Scripted(Instant start, TaskScript script) {}

    private final Map<String, Scripted> tasks = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final DisposableServer server;

    LoopbackCatalog() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/zones/{zone}/catalog_tasks/{task}", (request, response) -> {
                    String zone = request.param("zone");
                    String id = request.param("task");
                    requests.computeIfAbsent(zone, z -> new AtomicLong()).incrementAndGet();
                    Scripted s = tasks.get(zone + "/" + id);
                    if (s == null) {
                        return response.status(404).send();
                    }
                    Instant now = Instant.now();
                    if (!now.isBefore(s.start.plus(s.script.total()))) {
                        return response.status(303)
                                .header("Location", "/zones/" + zone + "/installs/inst-" + id)
                                .send();
                    }
                    String status = now.isBefore(s.start.plus(s.script.pendingFor())) ? "pending" : "running";
                    Task task = new Task(
                            id, s.start, "create", status, now, null, null, List.of(), "pkg", "pkg", null, List.of());
                    return response.header("Content-Type", "application/json")
                            .sendString(Mono.just(TaskJson.encode(task)), StandardCharsets.UTF_8)
                            .then();
                }))
                .bindNow();
    }

    @Override
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void script(String zone, List<TaskScript> scripts) {
        Instant now = Instant.now();
        for (TaskScript s : scripts) {
            tasks.put(zone + "/" + s.id(), new Scripted(now, s));
        }
    }

    @Override
    public Instant completedAt(String zone, String taskId) {
        Scripted s = tasks.get(zone + "/" + taskId);
        return s.start.plus(s.script.total());
    }

    @Override
    public long requests(String zone) {
        AtomicLong n = requests.get(zone);
        return n == null ? 0 : n.get();
    }

    @Override
    public String describe() {
        return "throwaway loopback catalog";
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
