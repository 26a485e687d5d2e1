package dev.taskwatch.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** Shared test fixtures: the JSON documents under {@code fixtures/}, canned responses and a client per server. */
final class Fixtures {

    static final String ZONE = "zone-1";
    static final String TASK = "task-1";
    static final String TASK_PATH = "/zones/zone-1/catalog_tasks/task-1";

    private Fixtures() {}

    /** A JSON document from {@code src/test/resources/fixtures/}. */
    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal valid Task document. */
    static String task(String id, String status) {
        return "{\"id\":\"" + id + "\",\"created_at\":\"2026-03-01T10:00:00Z\",\"operation\":\"create\",\"status\":\""
                + status + "\",\"updated_at\":\"2026-03-01T10:00:00Z\"}";
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    static MockResponse ok(String status) {
        return json(200, task(TASK, status));
    }

    static URI baseUrl(MockWebServer server) {
        return URI.create(server.url("/").toString());
    }

    /** A builder aimed at {@code server}, without credentials, with timeouts short enough for tests. */
    static CatalogTasksClient.Builder client(MockWebServer server) {
        return CatalogTasksClient.builder()
                .baseUrl(baseUrl(server))
                .credentials(Credentials.none())
                .responseTimeout(Duration.ofSeconds(5));
    }
}
