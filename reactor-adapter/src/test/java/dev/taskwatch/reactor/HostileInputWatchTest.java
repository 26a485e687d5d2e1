package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.CatalogDispatcher.task;
import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogProtocolException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.TaskStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

/**
 * Issue 6, hostile input through {@link TaskWatcher} over real HTTP: after one good poll ({@code running}) the server
 * keeps answering with one hostile response. Transient ones are retried within the error budget and then end the watch
 * with a {@link WatchException} carrying the last Task; fatal ones end it at the next poll; the few that are
 * documented as answers end it normally. None hangs, and the bearer token appears in no message or stack trace.
 *
 * <p>Real time, on purpose: the stalled responses end at the client's 2 s response timeout, which is Netty's timer on
 * the channel, not the watcher's scheduler. The watcher's own waits are 5–10 ms, and the poll counts asserted are
 * exact because they follow from the error budget, not from timing (only transport errors, where a reset may land
 * before or after the next request is written, get a range).
 */
class HostileInputWatchTest {

    private static final String TOKEN = "twWATCHmarker9e21";
    private static final int BUDGET = 3;
    private static final Map<String, String> OUTCOMES = new ConcurrentSkipListMap<>();

    private final MockWebServer server = new MockWebServer();
    private CatalogTasksClient client;

    private final WatchOptions fast = WatchOptions.defaults()
            .initialDelay(Duration.ofMillis(5))
            .maxDelay(Duration.ofMillis(10))
            .jitter(0)
            .maxConsecutiveErrors(BUDGET)
            .notFoundGrace(Duration.ZERO);

    enum Outcome {
        /** Retried {@code BUDGET} times, then the watch ends with the last failure (transient). */
        RETRIED_THEN_ENDS,
        /** The watch ends at the next poll (not transient). */
        ENDS_AT_ONCE,
        /** The response is an answer: the watch completes. */
        COMPLETES
    }

    static Stream<Arguments> hostile() {
        MockResponse.Builder json = new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json");
        return Stream.of(
                // transient: retried within the budget
                Arguments.of(
                        "truncated JSON",
                        json.body("{\"id\":\"task-1\",\"status\":\"runn").build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogProtocolException.class),
                Arguments.of(
                        "HTML with a JSON content type",
                        json.body("<html>maintenance</html>").build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogProtocolException.class),
                Arguments.of(
                        "empty 200", json.body("").build(), Outcome.RETRIED_THEN_ENDS, CatalogProtocolException.class),
                Arguments.of(
                        "status is a number",
                        json.body("{\"id\":\"task-1\",\"status\":2}").build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogProtocolException.class),
                Arguments.of(
                        "missing id",
                        json.body("{\"status\":\"completed\"}").build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogProtocolException.class),
                Arguments.of(
                        "duplicate status",
                        json.body("{\"id\":\"task-1\",\"status\":\"running\",\"status\":\"completed\"}")
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogProtocolException.class),
                Arguments.of(
                        "nesting 10,000 deep",
                        json.body("{\"id\":\"task-1\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogProtocolException.class),
                Arguments.of(
                        "invalid UTF-8",
                        json.body(new Buffer()
                                        .writeUtf8("{\"id\":\"task-1\",\"status\":\"r")
                                        .writeByte(0xC3)
                                        .writeByte(0x28)
                                        .writeUtf8("\"}"))
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogProtocolException.class),
                Arguments.of(
                        "2 MiB chunked body",
                        json.chunkedBody(
                                        "{\"id\":\"task-1\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}",
                                        64 * 1024)
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogProtocolException.class),
                Arguments.of(
                        "103 Early Hints before the 200",
                        task("completed")
                                .newBuilder()
                                .addInformationalResponse(
                                        new MockResponse.Builder().code(103).build())
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogProtocolException.class),
                Arguments.of(
                        "503 with Retry-After garbage",
                        new MockResponse.Builder()
                                .code(503)
                                .setHeader("Retry-After", "soon")
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogApiException.class),
                Arguments.of(
                        "429 with Retry-After negative",
                        new MockResponse.Builder()
                                .code(429)
                                .setHeader("Retry-After", "-1")
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogApiException.class),
                Arguments.of(
                        "503 with retry-after-ms garbage",
                        new MockResponse.Builder()
                                .code(503)
                                .setHeader("retry-after-ms", "1e3")
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogApiException.class),
                Arguments.of(
                        "502 HTML",
                        new MockResponse.Builder()
                                .code(502)
                                .setHeader("Content-Type", "text/html")
                                .body("<h1>Bad Gateway</h1>")
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogApiException.class),
                Arguments.of(
                        "connection closed mid-body",
                        task("running")
                                .newBuilder()
                                .body("{\"id\":\"task-1\",\"status\":\"running\"}" + " ".repeat(64 * 1024))
                                .onResponseBody(new SocketEffect.CloseSocket())
                                .build(),
                        Outcome.RETRIED_THEN_ENDS,
                        CatalogTransportException.class),
                // fatal: a definite answer that is not a Task
                Arguments.of(
                        "Task for another id",
                        task("task-2", "completed"),
                        Outcome.ENDS_AT_ONCE,
                        CatalogProtocolException.class),
                Arguments.of(
                        "201 with a Task body",
                        task("completed").newBuilder().code(201).build(),
                        Outcome.ENDS_AT_ONCE,
                        CatalogApiException.class),
                Arguments.of(
                        "204",
                        new MockResponse.Builder().code(204).build(),
                        Outcome.ENDS_AT_ONCE,
                        CatalogApiException.class),
                Arguments.of(
                        "301 to another host",
                        new MockResponse.Builder()
                                .code(301)
                                .setHeader("Location", "https://evil.example/")
                                .build(),
                        Outcome.ENDS_AT_ONCE,
                        CatalogApiException.class),
                Arguments.of(
                        "307",
                        new MockResponse.Builder()
                                .code(307)
                                .setHeader("Location", "/zones/zone-1/catalog_tasks/task-1")
                                .build(),
                        Outcome.ENDS_AT_ONCE,
                        CatalogApiException.class),
                Arguments.of(
                        "401",
                        new MockResponse.Builder().code(401).build(),
                        Outcome.ENDS_AT_ONCE,
                        CatalogApiException.class),
                Arguments.of(
                        "418",
                        new MockResponse.Builder().code(418).build(),
                        Outcome.ENDS_AT_ONCE,
                        CatalogApiException.class),
                Arguments.of(
                        "451",
                        new MockResponse.Builder().code(451).build(),
                        Outcome.ENDS_AT_ONCE,
                        CatalogApiException.class),
                Arguments.of(
                        "599",
                        new MockResponse.Builder().code(599).build(),
                        Outcome.ENDS_AT_ONCE,
                        CatalogApiException.class),
                // answers
                Arguments.of(
                        "303 with a garbage Location",
                        new MockResponse.Builder()
                                .code(303)
                                .setHeader("Location", "::garbage::")
                                .build(),
                        Outcome.COMPLETES,
                        null),
                Arguments.of(
                        "303 without Location",
                        new MockResponse.Builder().code(303).build(),
                        Outcome.COMPLETES,
                        null));
    }

    @BeforeEach
    void start() throws IOException {
        server.start();
        client = CatalogTasksClient.builder()
                .baseUrl(URI.create(server.url("/").toString()))
                .credentials(Credentials.bearer(TOKEN))
                .responseTimeout(Duration.ofSeconds(2))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @AfterAll
    static void printSummary() {
        StringBuilder table = new StringBuilder("\nHostile input through the watcher: " + OUTCOMES.size() + " cases\n");
        table.append("| response after one good poll | outcome |\n|---|---|\n");
        OUTCOMES.forEach(
                (k, v) -> table.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        System.out.println(table);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void hostileResponseAfterAGoodPollHasItsStatedOutcome(
            String name, MockResponse hostile, Outcome outcome, Class<? extends Throwable> cause)
            throws InterruptedException {
        if (hostile.getInformationalResponses().isEmpty()) {
            AtomicInteger served = new AtomicInteger();
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return served.getAndIncrement() == 0 ? task("running") : hostile;
                }
            });
        } else {
            // Queued: MockWebServer sends interim (1xx) responses only from its queue, not from a Dispatcher.
            server.enqueue(task("running"));
            for (int i = 0; i < BUDGET + 3; i++) {
                server.enqueue(hostile);
            }
        }
        TaskWatcher watcher = TaskWatcher.create(client, fast);

        StepVerifier.Step<dev.taskwatch.core.Task> step = StepVerifier.create(watcher.watch(ZONE, TASK))
                .assertNext(t -> assertThat(t.statusValue()).isEqualTo("running"));
        if (outcome == Outcome.COMPLETES) {
            step.assertNext(t -> {
                        assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
                        assertThat(t.installId()).isNull();
                        assertThat(t.packageSlug())
                                .as("fields seen before are kept")
                                .isEqualTo("my-package");
                    })
                    .expectComplete()
                    .verify(Duration.ofSeconds(20));
            awaitRecorded(2);
            OUTCOMES.put(name, "completes (" + server.getRequestCount() + " requests)");
            assertThat(server.getRequestCount()).isEqualTo(2);
            return;
        }
        int expectedPolls = outcome == Outcome.RETRIED_THEN_ENDS ? 1 + BUDGET + 1 : 2;
        step.expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOfSatisfying(WatchException.class, w -> {
                        assertThat(w.isTransient()).as("transient").isEqualTo(outcome == Outcome.RETRIED_THEN_ENDS);
                        assertThat(w.polls()).as("polls").isEqualTo(expectedPolls);
                        assertThat(w.lastTask()).isNotNull();
                        assertThat(w.lastTask().statusValue()).isEqualTo("running");
                    });
                    assertThat(e.getCause()).isInstanceOf(cause);
                    assertThat(e.getMessage())
                            .startsWith("watch of task task-1 in zone zone-1 ended after " + expectedPolls
                                    + " polls (last status running): ");
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    assertThat(trace.toString()).doesNotContain(TOKEN).doesNotContain("NullPointerException");
                    OUTCOMES.put(
                            name,
                            (outcome == Outcome.RETRIED_THEN_ENDS ? "retried " + BUDGET + "x, then " : "ends at once: ")
                                    + e.getCause().getClass().getSimpleName() + " after " + expectedPolls + " polls");
                })
                .verify(Duration.ofSeconds(20));
        awaitRecorded(expectedPolls);
        if (cause == CatalogTransportException.class) {
            assertThat(server.getRequestCount()).as("requests").isBetween(expectedPolls, 2 * expectedPolls);
        } else {
            assertThat(server.getRequestCount()).as("requests").isEqualTo(expectedPolls);
        }
    }

    /**
     * Waits until the server has recorded {@code count} requests. The client may see the last answer (a 103 taken for
     * the final response, a reset) before MockWebServer has counted the request on its own thread: counting at once
     * was flaky (4 of 5 once, in a full build).
     */
    private void awaitRecorded(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            assertThat(server.takeRequest(10, TimeUnit.SECONDS))
                    .as("request %d reached the server", i + 1)
                    .isNotNull();
        }
    }
}
