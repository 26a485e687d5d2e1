package dev.taskwatch.samples;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.internal.SafeText;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * Recipe: a reactive HTTP app that streams a task's transitions to the browser as Server-Sent Events. One watcher
 * serves every request; two browsers watching the same task share one polling loop; a closed tab cancels its watch.
 *
 * <pre>{@code
 * GET /zones/{zone}/tasks/{task}/events
 * event: running
 * data: {"id":"task-1","status":"running",...}
 * }</pre>
 */
public final class ServerSentEventsRecipe {

    private ServerSentEventsRecipe() {}

    public static void main(String[] args) {
        try (CatalogSimulator sim = CatalogSimulator.start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        .build()) {
            sim.task("zone-1", "task-1")
                    .pending(Duration.ofMillis(500))
                    .running(Duration.ofSeconds(1))
                    .completes("install-1");
            DisposableServer app =
                    start(TaskWatcher.create(client, WatchOptions.defaults().initialDelay(Duration.ofMillis(200))));
            try {
                // What a browser's EventSource would receive.
                HttpClient.create()
                        .get()
                        .uri("http://127.0.0.1:" + app.port() + "/zones/zone-1/tasks/task-1/events")
                        .responseContent()
                        .asString()
                        .doOnNext(System.out::print)
                        .blockLast(Duration.ofSeconds(30));
            } finally {
                app.disposeNow();
            }
        }
    }

    /** Starts the app on a free loopback port. */
    static DisposableServer start(TaskWatcher watcher) {
        return HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/zones/{zone}/tasks/{task}/events", (request, response) -> {
                    Flux<String> events;
                    try {
                        events = watcher.watch(request.param("zone"), request.param("task"))
                                .map(task -> "event: " + task.statusValue() + "\ndata: " + task.toJson() + "\n\n")
                                // One line of data, escaped: a line break in the message would end the event early.
                                .onErrorResume(e -> Flux.just("event: error\ndata: "
                                        + SafeText.escape(String.valueOf(e.getMessage()), 2000) + "\n\n"));
                    } catch (IllegalArgumentException badId) {
                        return response.status(HttpResponseStatus.BAD_REQUEST)
                                .sendString(Flux.just(badId.getMessage()));
                    }
                    return response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                            .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                            .sendString(events, StandardCharsets.UTF_8);
                }))
                .bindNow();
    }
}
