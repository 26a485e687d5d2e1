package dev.taskwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.ErrorCode;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class CatalogSimulatorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final ManualClock clock = ManualClock.at(T0);
    final CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start();
    final CatalogTasksClient client = CatalogTasksClient.builder()
            .baseUrl(sim.baseUrl())
            .credentials(Credentials.none())
            .build();

    @AfterEach
    void close() {
        client.close();
        sim.close();
    }

    Task retrieve(String zone, String task) {
        return client.retrieve(zone, task).block(Duration.ofSeconds(10));
    }

    @Test
    void bindsLoopbackOnAFreePort() {
        assertThat(sim.baseUrl().getScheme()).isEqualTo("http");
        assertThat(sim.baseUrl().getHost()).isEqualTo("127.0.0.1");
        assertThat(sim.baseUrl().getPort()).isPositive();
    }

    @Test
    void taskGoesPendingRunningCompletedByTheClock() {
        ScriptedTask script = sim.task("zone-1", "task-1")
                .pending(Duration.ofSeconds(1))
                .running(Duration.ofSeconds(2))
                .completes("install-1");

        Task pending = retrieve("zone-1", "task-1");
        assertThat(pending.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(pending.createdAt()).isEqualTo(T0);
        assertThat(pending.updatedAt()).isEqualTo(T0);
        assertThat(pending.installId()).isEqualTo("install-1");

        clock.advance(Duration.ofMillis(999));
        assertThat(retrieve("zone-1", "task-1").status()).isEqualTo(TaskStatus.PENDING);

        clock.advance(Duration.ofMillis(1));
        Task running = retrieve("zone-1", "task-1");
        assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(running.updatedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(script.terminalReportedAt()).isNull();

        clock.advance(Duration.ofSeconds(2));
        Task completed = retrieve("zone-1", "task-1");
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(completed.installId()).isEqualTo("install-1");
        assertThat(script.terminalAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(script.terminalReportedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(script.requestCount()).isEqualTo(4);
    }

    @Test
    void completionIsA303WithLocationAndNoBody() {
        sim.task("zone-1", "task-1").completes("install-9");

        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");

        assertThat(raw.status()).isEqualTo(303);
        assertThat(raw.headers().get("Location")).isEqualTo(sim.baseUrl() + "/zones/zone-1/installs/install-9");
        assertThat(raw.headers().get("Content-Length")).isEqualTo("0");
        assertThat(raw.body()).isEmpty();
    }

    @Test
    void runningBodyIsTheFullTaskInSnakeCase() {
        sim.task("zone-1", "task-1").running(Duration.ofMinutes(1)).packageInfo("pkg-1", "github", 3);

        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");

        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(raw.body())
                .contains("\"id\":\"task-1\"")
                .contains("\"created_at\":\"2026-01-01T00:00:00Z\"")
                .contains("\"updated_at\":\"2026-01-01T00:00:00Z\"")
                .contains("\"operation\":\"create\"")
                .contains("\"status\":\"running\"")
                .contains("\"package_id\":\"pkg-1\"")
                .contains("\"package_slug\":\"github\"")
                .contains("\"package_version\":3");
    }

    @Test
    void failingTaskAnswers200WithFailedAndTheErrorMessage() {
        ScriptedTask script =
                sim.task("zone-1", "task-1").running(Duration.ofSeconds(5)).fails("quota exceeded");
        clock.advance(Duration.ofSeconds(5));

        Task failed = retrieve("zone-1", "task-1");

        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.errorMessage()).isEqualTo("quota exceeded");
        assertThat(failed.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(failed.installId()).isNull();
        assertThat(script.terminalReportedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void taskIsInvisibleForItsFirstNRequests() {
        sim.task("zone-1", "task-1").running(Duration.ofMinutes(1)).notFoundFor(2);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> retrieve("zone-1", "task-1"))
                    .isInstanceOfSatisfying(CatalogApiException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(404);
                        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                        assertThat(e.requestId()).startsWith("sim-");
                    });
        }
        assertThat(retrieve("zone-1", "task-1").status()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void notFoundIsInTheApiErrorShape() {
        sim.task("zone-1", "task-1").notFoundFor(1);

        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");

        assertThat(raw.status()).isEqualTo(404);
        assertThat(raw.body())
                .startsWith("{\"code\":\"not_found\",\"message\":\"catalog task not found\",\"details\":[],"
                        + "\"path\":\"/zones/zone-1/catalog_tasks/task-1\",\"request_id\":\"sim-")
                .endsWith("\"status\":404,\"timestamp\":\"2026-01-01T00:00:00Z\"}");
        assertThat(raw.headers().get("X-Request-ID")).isNotBlank();
    }

    @Test
    void unscriptedTaskIsNotFound() {
        assertThatThrownBy(() -> retrieve("zone-1", "nobody"))
                .isInstanceOfSatisfying(
                        CatalogApiException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(404));
    }

    @Test
    void unknownPathIs404InTheApiErrorShape() {
        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/installs/i-1?x=\"y\"");

        assertThat(raw.status()).isEqualTo(404);
        assertThat(raw.body())
                .contains("\"code\":\"not_found\"")
                .contains("\"details\":[]")
                .contains("\"path\":\"/zones/zone-1/installs/i-1\"")
                .contains("\"status\":404");
        assertThat(sim.requests()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.zoneId()).isNull();
        });
    }

    @Test
    void otherMethodsOnATaskAre405WithAllow() {
        sim.task("zone-1", "task-1");

        Raw raw = Raw.exchange(sim.baseUrl(), "DELETE", "/zones/zone-1/catalog_tasks/task-1", h -> {}, null);

        assertThat(raw.status()).isEqualTo(405);
        assertThat(raw.headers().get("Allow")).isEqualTo("GET");
        assertThat(raw.body()).contains("\"status\":405").contains("\"details\":[]");
        assertThat(sim.task("zone-1", "task-1").requestCount()).isZero();
    }

    @Test
    void recordsEachRequestWithTimeAndHeaders() {
        sim.task("zone-1", "task-1").running(Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(7));

        client.retrieve("zone-1", "task-1", "req-42").block(Duration.ofSeconds(10));

        List<RecordedRequest> requests = sim.requests("zone-1", "task-1");
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.time()).isEqualTo(T0.plusSeconds(7));
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.uri()).isEqualTo("/zones/zone-1/catalog_tasks/task-1");
            assertThat(r.zoneId()).isEqualTo("zone-1");
            assertThat(r.taskId()).isEqualTo("task-1");
            assertThat(r.header("X-Client-Request-ID")).isEqualTo("req-42");
            assertThat(r.headers()).containsEntry("x-client-request-id", "req-42");
            assertThat(r.header("user-agent")).startsWith("taskwatch/");
            assertThat(r.header("authorization")).isNull();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.fault()).isNull();
        });
        assertThatThrownBy(() -> requests.get(0).headers().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(sim.requests("zone-1", "other")).isEmpty();
        assertThat(sim.requestCount()).isEqualTo(1);
    }

    @Test
    void clearRequestsForgetsRecordsAndCount() {
        sim.task("zone-1", "task-1");
        retrieve("zone-1", "task-1");

        sim.clearRequests();

        assertThat(sim.requests()).isEmpty();
        assertThat(sim.requestCount()).isZero();
        assertThat(sim.task("zone-1", "task-1").requestCount()).isEqualTo(1);
    }

    @Test
    void recordingKeepsOnlyTheNewestRequests() {
        try (CatalogSimulator small =
                CatalogSimulator.builder().recordRequests(3).start()) {
            for (int i = 1; i <= 5; i++) {
                Raw.get(small.baseUrl(), "/r" + i);
            }
            assertThat(small.requests()).extracting(RecordedRequest::uri).containsExactly("/r3", "/r4", "/r5");
            assertThat(small.requestCount()).isEqualTo(5);
        }
    }

    @Test
    void recordingCanBeTurnedOffWhileCountingContinues() {
        try (CatalogSimulator quiet =
                CatalogSimulator.builder().recordRequests(0).start()) {
            quiet.task("zone-1", "task-1");
            Raw.get(quiet.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");
            assertThat(quiet.requests()).isEmpty();
            assertThat(quiet.requestCount()).isEqualTo(1);
            assertThat(quiet.task("zone-1", "task-1").requestCount()).isEqualTo(1);
        }
    }

    @Test
    void sameIdsGiveTheSameScript() {
        assertThat(sim.task("zone-1", "task-1")).isSameAs(sim.task("zone-1", "task-1"));
        assertThat(sim.task("zone-1", "task-1")).isNotSameAs(sim.task("zone-2", "task-1"));
    }

    @Test
    void invalidIdsAreRefused() {
        assertThatThrownBy(() -> sim.task("zone/1", "task-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zoneId");
        assertThatThrownBy(() -> sim.task("zone-1", ".."))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taskId");
        assertThatThrownBy(() -> sim.task("zone-1", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeReleasesStalledRequests() {
        sim.task("zone-1", "task-1").fault(1, Fault.stallForever());

        StepVerifier.create(client.retrieve("zone-1", "task-1"))
                .then(() -> Await.until(() -> sim.stalledRequests() == 1, "one request stalled"))
                .then(sim::close)
                .expectError(CatalogTransportException.class)
                .verify(Duration.ofSeconds(10));
        Await.until(() -> sim.stalledRequests() == 0, "no request stalled");
        assertThat(sim.requests()).singleElement().satisfies(r -> {
            assertThat(r.status()).isZero();
            assertThat(r.fault()).isEqualTo(Fault.stallForever());
        });
    }

    @Test
    void closeIsIdempotentAndRefusesNewConnections() {
        sim.close();
        sim.close();

        assertThatThrownBy(() -> retrieve("zone-1", "task-1")).isInstanceOf(CatalogTransportException.class);
    }

    @Test
    void closeOnANonBlockingThreadDoesNotBlock() {
        sim.task("zone-1", "task-1");
        retrieve("zone-1", "task-1");

        // BlockHound (core's test guard) fails this if close() waits on the parallel scheduler's thread.
        Mono.fromRunnable(sim::close).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));

        Await.until(
                () -> {
                    try {
                        retrieve("zone-1", "task-1");
                        return false;
                    } catch (CatalogTransportException e) {
                        return true;
                    }
                },
                "closed");
    }

    @Test
    void servesTwoThousandConcurrentRequests() {
        // A sanity check that nothing serialises or leaks under load; throughput is measured in benchmarks/.
        try (CatalogSimulator fast =
                        CatalogSimulator.builder().recordRequests(0).start();
                CatalogTasksClient c = CatalogTasksClient.builder()
                        .baseUrl(fast.baseUrl())
                        .credentials(Credentials.none())
                        .build()) {
            for (int i = 0; i < 20; i++) {
                fast.task("zone-1", "task-" + i).running(Duration.ofHours(1));
            }
            Long ok = Flux.range(0, 2000)
                    .flatMap(i -> c.retrieve("zone-1", "task-" + (i % 20)), 32)
                    .filter(t -> t.status() == TaskStatus.RUNNING)
                    .count()
                    .block(Duration.ofSeconds(60));
            assertThat(ok).isEqualTo(2000);
            assertThat(fast.requestCount()).isEqualTo(2000);
        }
    }

    static <T> T block(Mono<T> mono) {
        return mono.block(Duration.ofSeconds(10));
    }
}
