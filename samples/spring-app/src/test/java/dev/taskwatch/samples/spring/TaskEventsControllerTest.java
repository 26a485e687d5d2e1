package dev.taskwatch.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.testing.Await;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The app over real HTTP on a random port, its watcher polling a {@link CatalogSimulator} over loopback. Task
 * phases run on the simulator's {@link ManualClock} and the watcher's delays on virtual time
 * ({@link VirtualTimeScheduler#getOrSet()} replaces {@code Schedulers.parallel()}, which the watcher looks up at each
 * subscription); only HTTP round trips take real time, each awaited with a bound.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "taskwatch.watch.initial-delay=1s",
            "taskwatch.watch.multiplier=2",
            "taskwatch.watch.max-delay=10s",
            "taskwatch.watch.jitter=0",
            "taskwatch.watch.timeout=1m"
        })
class TaskEventsControllerTest {

    private static final String ZONE = "zone-1";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() {};

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ManualClock CLOCK = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private static final CatalogSimulator SIM =
            CatalogSimulator.builder().clock(CLOCK).start();

    @Value("${local.server.port}")
    private int port;

    @Autowired
    private TaskWatcher watcher;

    private WebTestClient http;
    private VirtualTimeScheduler time;

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("taskwatch.base-url", () -> SIM.baseUrl().toString());
    }

    @AfterAll
    static void stopSimulator() {
        SIM.close();
    }

    @BeforeEach
    void start() {
        time = VirtualTimeScheduler.getOrSet();
        http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(WAIT)
                .build();
    }

    @AfterEach
    void resetTime() {
        VirtualTimeScheduler.reset();
    }

    @Test
    void eventsStreamOneEventPerTransitionAndEndAfterTheTerminalOne() {
        SIM.task(ZONE, "ordered")
                .pending(Duration.ofSeconds(2))
                .running(Duration.ofSeconds(3))
                .completes("inst-1");

        // Polls at 0, 1 and 3 s of virtual time; the simulator's clock moves the task along in between.
        StepVerifier.create(events("ordered"))
                .assertNext(e -> {
                    assertThat(e.event()).isEqualTo("pending");
                    assertThat(e.data())
                            .startsWith("{\"id\":\"ordered\",\"created_at\":\"2026-01-01T")
                            .contains("\"operation\":\"create\"", "\"status\":\"pending\"", "\"updated_at\":");
                })
                .then(() -> {
                    CLOCK.advance(Duration.ofMillis(2500));
                    time.advanceTimeBy(Duration.ofSeconds(1));
                })
                .assertNext(e -> {
                    assertThat(e.event()).isEqualTo("running");
                    assertThat(e.data()).contains("\"status\":\"running\"");
                })
                .then(() -> {
                    CLOCK.advance(Duration.ofSeconds(3));
                    time.advanceTimeBy(Duration.ofSeconds(2));
                })
                .assertNext(e -> {
                    assertThat(e.event()).isEqualTo("completed");
                    assertThat(e.data()).contains("\"status\":\"completed\"", "\"install_id\":\"inst-1\"");
                })
                .expectComplete()
                .verify(WAIT);
        assertThat(SIM.requests(ZONE, "ordered")).hasSize(3);
    }

    @Test
    void aClientThatDisconnectsCancelsItsWatch() throws InterruptedException {
        SIM.task(ZONE, "abandoned").running(Duration.ofDays(365));

        StepVerifier.create(events("abandoned"))
                .assertNext(e -> assertThat(e.event()).isEqualTo("running"))
                .thenCancel()
                .verify(WAIT);
        Await.until(() -> watching("abandoned").isEmpty(), "the server to cancel the watch");
        time.advanceTimeBy(Duration.ofDays(1));

        assertThat(SIM.requests(ZONE, "abandoned"))
                .as("no poll after the disconnect")
                .hasSize(1);
    }

    @Test
    void aCompletedTaskIs200WithTheTask() {
        SIM.task(ZONE, "done").completes("inst-2");

        JsonNode body = json(http.get()
                .uri("/zones/{zone}/tasks/{task}", ZONE, "done")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class));

        assertThat(body.get("id").asString()).isEqualTo("done");
        assertThat(body.get("status").asString()).isEqualTo("completed");
        assertThat(body.get("install_id").asString()).isEqualTo("inst-2");
    }

    @Test
    void aFailedTaskIs409WithTheTask() {
        SIM.task(ZONE, "broken").fails("disk full");

        JsonNode body = json(http.get()
                .uri("/zones/{zone}/tasks/{task}", ZONE, "broken")
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectBody(String.class));

        assertThat(body.get("status").asString()).isEqualTo("failed");
        assertThat(body.get("error_message").asString()).isEqualTo("disk full");
    }

    @Test
    void aWatchThatTimesOutIs504WithTheLastTaskSeen() throws Exception {
        SIM.task(ZONE, "slow").running(Duration.ofDays(365));

        CompletableFuture<JsonNode> answer = CompletableFuture.supplyAsync(() -> json(http.get()
                .uri("/zones/{zone}/tasks/{task}", ZONE, "slow")
                .exchange()
                .expectStatus()
                .isEqualTo(504)
                .expectBody(String.class)));
        Await.until(
                () -> watching("slow").stream().anyMatch(w -> w.nextPollIn() != null), "the first poll to be answered");
        time.advanceTimeBy(Duration.ofMinutes(1));

        JsonNode body = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(body.get("error").asString()).contains("timed out after PT1M");
        assertThat(body.get("last_task").get("status").asString()).isEqualTo("running");
    }

    @Test
    void anInvalidTaskIdIs400NamingIt() {
        JsonNode body = json(http.get()
                .uri("/zones/{zone}/tasks/{task}", ZONE, "no spaces")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody(String.class));

        assertThat(body.get("error").asString()).contains("taskId");
        assertThat(SIM.requests(ZONE, "no spaces")).isEmpty();
    }

    @Test
    void theActuatorEndpointListsALiveWatchOverHttp() throws InterruptedException {
        SIM.task(ZONE, "live").running(Duration.ofDays(365));

        List<ServerSentEvent<String>> seen = new CopyOnWriteArrayList<>();
        Disposable stream = events("live").subscribe(seen::add);
        try {
            Await.until(() -> seen.size() == 1, "the first event");

            JsonNode body = json(http.get()
                    .uri("/actuator/taskwatch")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody(String.class));
            JsonNode live = null;
            for (JsonNode w : body.get("watches")) {
                if (w.get("task").asString().equals("live")) {
                    live = w;
                }
            }
            assertThat(live).as("the live watch in " + body).isNotNull();
            assertThat(live.get("zone").asString()).isEqualTo(ZONE);
            assertThat(live.get("status").asString()).isEqualTo("running");
            assertThat(live.get("polls").asInt()).isEqualTo(1);
            assertThat(live.get("nextPollIn").asString()).isEqualTo("PT1S");
            assertThat(live.get("subscribers").asInt()).isEqualTo(1);
        } finally {
            stream.dispose();
        }
    }

    private Flux<ServerSentEvent<String>> events(String task) {
        return http.get()
                .uri("/zones/{zone}/tasks/{task}/events", ZONE, task)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(SSE)
                .getResponseBody();
    }

    private static JsonNode json(WebTestClient.BodySpec<String, ?> body) {
        String text = body.returnResult().getResponseBody();
        assertThat(text).isNotNull();
        return JSON.readTree(text);
    }

    private List<TaskWatcher.ActiveWatch> watching(String task) {
        return watcher.activeWatches().stream()
                .filter(w -> w.taskId().equals(task))
                .toList();
    }
}
