package dev.taskwatch.reactor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/** Plays one scripted list of responses per task path (the last one repeats) and records what was asked. */
final class CatalogDispatcher extends Dispatcher {

    private final Map<String, List<MockResponse>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Integer> served = new ConcurrentHashMap<>();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    CatalogDispatcher script(String taskId, MockResponse... responses) {
        scripts.put("/zones/" + Tasks.ZONE + "/catalog_tasks/" + taskId, List.of(responses));
        return this;
    }

    /** Scripts another path, such as the token endpoint's. */
    CatalogDispatcher scriptPath(String path, MockResponse... responses) {
        scripts.put(path, List.of(responses));
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getUrl().encodedPath();
        List<MockResponse> script = scripts.get(path);
        if (script == null) {
            return new MockResponse.Builder().code(599).build();
        }
        int n = served.merge(path, 1, Integer::sum) - 1;
        return script.get(Math.min(n, script.size() - 1));
    }

    /** Requests made for one task. */
    long requestsFor(String taskId) {
        return requests.stream()
                .filter(r -> r.getUrl().encodedPath().endsWith("/catalog_tasks/" + taskId))
                .count();
    }

    static MockResponse task(String status) {
        return task(Tasks.TASK, status);
    }

    static MockResponse task(String taskId, String status) {
        String body = "{\"id\":\"" + taskId + "\",\"created_at\":\"2026-01-01T00:00:00Z\",\"operation\":\"create\","
                + "\"status\":\"" + status + "\",\"updated_at\":\"2026-01-01T00:00:01Z\",\"package_id\":\"pkg-1\","
                + "\"package_slug\":\"my-package\",\"package_version\":3}";
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    static MockResponse completed(String installId) {
        return new MockResponse.Builder()
                .code(303)
                .setHeader("Location", "/zones/" + Tasks.ZONE + "/installs/" + installId)
                .build();
    }

    static MockResponse error(int status, String code) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body("{\"code\":\"" + code + "\",\"message\":\"scripted " + status + "\",\"status\":" + status + "}")
                .build();
    }

    static MockResponse error(int status, String code, String header, String value) {
        return error(status, code).newBuilder().setHeader(header, value).build();
    }

    static MockResponse reset() {
        return new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket(true, false, false))
                .build();
    }

    static MockResponse malformed() {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body("{\"id\": \"task-1\", \"status\": ")
                .build();
    }
}
