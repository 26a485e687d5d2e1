package dev.taskwatch.samples.spring;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchException;
import dev.taskwatch.reactor.WatchTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Task transitions over HTTP. Bodies are the API's own JSON form of a task ({@link TaskJson}: {@code snake_case},
 * raw status values), so what a client reads here is what it would read from Keycard.
 */
@RestController
final class TaskEventsController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TaskWatcher watcher;

    TaskEventsController(TaskWatcher watcher) {
        this.watcher = watcher;
    }

    /**
     * One event per transition, {@code event:} the status and {@code data:} the task; the stream ends after the
     * terminal task. A watch that ends otherwise (timeout, a fatal answer, the app shutting down) ends the stream with
     * one {@code event: error} whose data is {@code {"error": "..."}}. A client that disconnects cancels its watch.
     */
    @GetMapping(path = "/zones/{zone}/tasks/{task}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> events(@PathVariable String zone, @PathVariable String task) {
        return watcher.watch(zone, task)
                .map(t -> ServerSentEvent.builder(t.toJson())
                        .event(t.statusValue())
                        .build())
                .onErrorResume(
                        WatchException.class,
                        e -> Mono.just(ServerSentEvent.builder(error(e.getMessage(), e.lastTask()))
                                .event("error")
                                .build()));
    }

    /**
     * The task once it has ended: {@code 200} if completed, {@code 409} if failed (with the task), {@code 504} if the
     * watch timed out ({@code taskwatch.watch.timeout}), {@code 502} if the API answered with an error that ends the
     * watch, {@code 503} while the app shuts down.
     */
    @GetMapping(path = "/zones/{zone}/tasks/{task}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<String>> terminal(@PathVariable String zone, @PathVariable String task) {
        return watcher.awaitTerminal(zone, task)
                .map(t -> ResponseEntity.status(t.status() == TaskStatus.FAILED ? HttpStatus.CONFLICT : HttpStatus.OK)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(t.toJson()))
                .onErrorResume(
                        WatchException.class,
                        e -> Mono.just(ResponseEntity.status(status(e))
                                .contentType(MediaType.APPLICATION_JSON)
                                .body(error(e.getMessage(), e.lastTask()))));
    }

    /** Invalid ids: the watcher refuses them before any I/O, with a message naming the argument. */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<String> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest()
                .contentType(MediaType.APPLICATION_JSON)
                .body(error(e.getMessage(), null));
    }

    private static HttpStatus status(WatchException e) {
        if (e instanceof WatchTimeoutException) {
            return HttpStatus.GATEWAY_TIMEOUT;
        }
        // Without a cause the watch was cut short here (the watcher closed); with one, the API or the network ended it.
        return e.getCause() == null ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
    }

    /** {@code {"error": message, "last_task": {...}}}; our exceptions' messages carry no secrets. */
    private static String error(@Nullable String message, @Nullable Task last) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null ? "watch failed" : message);
        if (last != null) {
            body.put("last_task", JSON.readTree(last.toJson()));
        }
        return JSON.writeValueAsString(body);
    }
}
