package dev.taskwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogProtocolException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.ErrorCode;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultTest {

    final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    final CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start();
    final CatalogTasksClient client = clientWith(Duration.ofSeconds(10), 1024 * 1024);

    CatalogTasksClient clientWith(Duration responseTimeout, int maxResponseBytes) {
        return CatalogTasksClient.builder()
                .baseUrl(sim.baseUrl())
                .credentials(Credentials.none())
                .responseTimeout(responseTimeout)
                .maxResponseBytes(maxResponseBytes)
                .build();
    }

    @AfterEach
    void close() {
        client.close();
        sim.close();
    }

    ScriptedTask task() {
        return sim.task("zone-1", "task-1").running(Duration.ofMinutes(1));
    }

    Task retrieve() {
        return client.retrieve("zone-1", "task-1").block(Duration.ofSeconds(10));
    }

    @Test
    void faultHitsOnlyTheChosenRequest() {
        task().fault(2, Fault.status(500));

        assertThat(retrieve().status()).isEqualTo(TaskStatus.RUNNING);
        assertThatThrownBy(this::retrieve).isInstanceOfSatisfying(CatalogApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(e.isTransient()).isTrue();
        });
        assertThat(retrieve().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(sim.requests()).extracting(RecordedRequest::fault).containsExactly(null, Fault.status(500), null);
        assertThat(sim.requests()).extracting(RecordedRequest::status).containsExactly(200, 500, 200);
    }

    @Test
    void status503WithRetryAfterSecondsReachesTheClientAsAHint() {
        task().fault(1, Fault.status(503).retryAfter(Duration.ofSeconds(2)));

        assertThatThrownBy(this::retrieve).isInstanceOfSatisfying(CatalogApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
            assertThat(e.isTransient()).isTrue();
        });
    }

    @Test
    void status429WithRetryAfterMillis() {
        task().fault(1, Fault.status(429).retryAfterMillis(Duration.ofMillis(1500)));

        assertThatThrownBy(this::retrieve).isInstanceOfSatisfying(CatalogApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(429);
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
        });
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        task().fault(1, Fault.status(503).retryAfter(Duration.ofMillis(1200)));

        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");

        assertThat(raw.headers().get("Retry-After")).isEqualTo("2");
    }

    @Test
    void anyStatusCodeCanBeInjected() {
        task().fault(1, Fault.status(418));

        assertThatThrownBy(this::retrieve).isInstanceOfSatisfying(CatalogApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(418);
            assertThat(e.isTransient()).isFalse();
        });
    }

    @Test
    void htmlBadGatewayIsAnApiErrorWithoutACode() {
        task().fault(1, Fault.htmlBadGateway());

        assertThatThrownBy(this::retrieve).isInstanceOfSatisfying(CatalogApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(502);
            assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN);
            assertThat(e.isTransient()).isTrue();
        });
        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");
        assertThat(raw.status()).isEqualTo(200);
    }

    @Test
    void htmlBadGatewaySendsHtml() {
        task().fault(1, Fault.htmlBadGateway());

        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");

        assertThat(raw.status()).isEqualTo(502);
        assertThat(raw.headers().get("Content-Type")).startsWith("text/html");
        assertThat(raw.body()).contains("<h1>502 Bad Gateway</h1>");
    }

    @Test
    void resetIsATransportFailure() {
        task().fault(1, Fault.reset());

        assertThatThrownBy(this::retrieve)
                .isInstanceOfSatisfying(
                        CatalogTransportException.class,
                        e -> assertThat(e.isTransient()).isTrue());
        assertThat(retrieve().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(sim.requests()).first().satisfies(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.fault()).isEqualTo(Fault.reset());
        });
    }

    @Test
    void closeOnReuseAnswersThenClosesOnTheNextRequestOnThatConnection() {
        ScriptedTask task = task().fault(1, Fault.closeOnReuse());
        // One connection: the next request waits for the answered one to go back to the pool, and reuses it.
        try (CatalogTasksClient oneConnection = CatalogTasksClient.builder()
                .baseUrl(sim.baseUrl())
                .credentials(Credentials.none())
                .responseTimeout(Duration.ofSeconds(10))
                .maxConnections(1)
                .build()) {
            Supplier<Task> retrieve =
                    () -> oneConnection.retrieve("zone-1", "task-1").block(Duration.ofSeconds(10));

            assertThat(retrieve.get().status()).isEqualTo(TaskStatus.RUNNING);
            // The pooled connection is reused and closed under the request: a transient transport failure at once,
            // not the response timeout.
            assertThatThrownBy(retrieve::get)
                    .isInstanceOfSatisfying(
                            CatalogTransportException.class,
                            e -> assertThat(e.isTransient()).isTrue())
                    .hasMessageContaining("connection closed before the response completed");
            assertThat(retrieve.get().status()).isEqualTo(TaskStatus.RUNNING);
        }
        assertThat(sim.requests()).extracting(RecordedRequest::status).containsExactly(200, 0, 200);
        assertThat(sim.requests())
                .extracting(RecordedRequest::fault)
                .containsExactly(Fault.closeOnReuse(), Fault.closeOnReuse(), null);
        // The closed request was this task's second: the script's request numbers stay aligned.
        assertThat(task.requestCount()).isEqualTo(3);
        assertThat(task.requestsClosedOnReuse()).containsExactly(2);
    }

    @Test
    void closeDelimitedBodyIsReadToTheEndOfTheConnection() {
        task().fault(1, Fault.closeDelimitedBody());

        assertThat(retrieve().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(retrieve().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(sim.requests()).extracting(RecordedRequest::status).containsExactly(200, 200);
        assertThat(sim.requests()).first().satisfies(r -> assertThat(r.fault()).isEqualTo(Fault.closeDelimitedBody()));
    }

    @Test
    void closeDelimitedCompletionIsStillA303() {
        sim.task("zone-1", "task-1").completes("install-1").fault(1, Fault.closeDelimitedBody());

        assertThat(retrieve().status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void stallForeverEndsInTheClientsResponseTimeout() {
        task().fault(1, Fault.stallForever());

        try (CatalogTasksClient impatient = clientWith(Duration.ofMillis(200), 1024 * 1024)) {
            assertThatThrownBy(() -> impatient.retrieve("zone-1", "task-1").block(Duration.ofSeconds(10)))
                    .isInstanceOf(CatalogTransportException.class)
                    .hasMessageContaining("response timeout");
        }
        // The client dropped the connection; the held request is released, no timer or thread left behind.
        Await.until(() -> sim.stalledRequests() == 0, "no request stalled");
    }

    @Test
    void stallForADurationThenAnswersAsScripted() {
        task().fault(1, Fault.stall(Duration.ofMillis(100)));

        assertThat(retrieve().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(sim.requests()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.fault()).isEqualTo(Fault.stall(Duration.ofMillis(100)));
        });
        // The count drops once the answer is written, which may be just after the client has read it.
        Await.until(() -> sim.stalledRequests() == 0, "no request stalled");
    }

    @Test
    void stallOutlastingTheResponseTimeoutIsATimeout() {
        task().fault(1, Fault.stall(Duration.ofSeconds(30)));

        try (CatalogTasksClient impatient = clientWith(Duration.ofMillis(200), 1024 * 1024)) {
            assertThatThrownBy(() -> impatient.retrieve("zone-1", "task-1").block(Duration.ofSeconds(10)))
                    .isInstanceOf(CatalogTransportException.class);
        }
        Await.until(() -> sim.stalledRequests() == 0, "no request stalled");
    }

    @Test
    void malformedBodyIsAProtocolFailure() {
        task().fault(1, Fault.malformedBody());

        assertThatThrownBy(this::retrieve)
                .isInstanceOfSatisfying(
                        CatalogProtocolException.class,
                        e -> assertThat(e.isTransient()).isTrue());
        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");
        assertThat(raw.status()).isEqualTo(200);
    }

    @Test
    void malformedBodyIsTruncatedJson() {
        task().fault(1, Fault.malformedBody());

        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");

        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.body()).startsWith("{\"id\":\"task-1\"").doesNotEndWith("}");
    }

    @Test
    void oversizedBodyIsAProtocolFailureOverTheCap() {
        task().fault(1, Fault.oversizedBody());

        assertThatThrownBy(this::retrieve)
                .isInstanceOf(CatalogProtocolException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void oversizedBodyIsAValidTaskOfTheRequestedSize() {
        task().fault(1, Fault.oversizedBody()).fault(2, Fault.oversizedBody(4096));

        try (CatalogTasksClient generous = clientWith(Duration.ofSeconds(10), 4 * 1024 * 1024)) {
            Task task = generous.retrieve("zone-1", "task-1").block(Duration.ofSeconds(10));
            assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
        }
        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");
        assertThat(raw.body()).hasSize(4096).startsWith("{\"x_padding\":\"xxx").endsWith("}");
    }

    @Test
    void staleStatusReportsTheStatusBeforeTheCurrentOne() {
        sim.task("zone-1", "task-1")
                .pending(Duration.ofSeconds(1))
                .running(Duration.ofSeconds(1))
                .completes("install-1")
                .fault(1, Fault.staleStatus())
                .fault(2, Fault.staleStatus())
                .fault(3, Fault.staleStatus());

        assertThat(retrieve().status()).isEqualTo(TaskStatus.PENDING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(retrieve().status()).isEqualTo(TaskStatus.PENDING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(retrieve().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(retrieve().status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void retryAfterHintOnScriptedAnswers() {
        task().retryAfter(Duration.ofSeconds(3));

        CatalogTasksClient.Response response =
                client.exchange("zone-1", "task-1", null).block(Duration.ofSeconds(10));

        assertThat(response.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterMillisHintOnScriptedAnswers() {
        task().retryAfterMillis(Duration.ofMillis(250));

        CatalogTasksClient.Response response =
                client.exchange("zone-1", "task-1", null).block(Duration.ofSeconds(10));

        assertThat(response.retryAfter()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void randomFaultsAreReproducibleFromTheSeed() {
        List<Integer> first = statusesWithRandomFaults(sim, 42L);
        List<Integer> again;
        try (CatalogSimulator other = CatalogSimulator.start()) {
            again = statusesWithRandomFaults(other, 42L);
        }
        List<Integer> otherSeed;
        try (CatalogSimulator other = CatalogSimulator.start()) {
            otherSeed = statusesWithRandomFaults(other, 7L);
        }

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        long faulted = first.stream().filter(s -> s != 200).count();
        assertThat(faulted).isBetween(8L, 35L); // 100 requests at p = 0.2
        assertThat(first).containsOnly(200, 500, 503);
    }

    private static List<Integer> statusesWithRandomFaults(CatalogSimulator s, long seed) {
        s.task("zone-1", "chaos")
                .running(Duration.ofHours(1))
                .randomFaults(0.2, seed, Fault.status(500), Fault.status(503));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            statuses.add(
                    Raw.get(s.baseUrl(), "/zones/zone-1/catalog_tasks/chaos").status());
        }
        return statuses;
    }

    @Test
    void scriptedFaultWinsOverNotFound() {
        task().notFoundFor(2).fault(1, Fault.status(503));

        assertThat(Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1").status())
                .isEqualTo(503);
        assertThat(Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1").status())
                .isEqualTo(404);
        assertThat(Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1").status())
                .isEqualTo(200);
    }

    @Test
    void faultsAreValuesWithReadableNames() {
        assertThat(Fault.status(503).retryAfter(Duration.ofSeconds(1)))
                .isEqualTo(Fault.status(503).retryAfter(Duration.ofSeconds(1)))
                .hasToString("Fault.status(503).retryAfter(1s)");
        assertThat(Fault.stall(Duration.ofSeconds(1))).isNotEqualTo(Fault.stallForever());
        assertThat(Fault.oversizedBody().httpStatus()).isEqualTo(200);
        assertThat(Fault.reset().httpStatus()).isZero();
        assertThat(Fault.closeOnReuse()).hasToString("Fault.closeOnReuse()");
        assertThat(Fault.closeDelimitedBody()).hasToString("Fault.closeDelimitedBody()");
        assertThatThrownBy(() -> Fault.status(99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.stall(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.oversizedBody(10)).isInstanceOf(IllegalArgumentException.class);
    }
}
