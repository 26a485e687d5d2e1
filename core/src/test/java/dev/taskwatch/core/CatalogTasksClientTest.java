package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.TASK;
import static dev.taskwatch.core.Fixtures.TASK_PATH;
import static dev.taskwatch.core.Fixtures.ZONE;
import static dev.taskwatch.core.Fixtures.json;
import static dev.taskwatch.core.Fixtures.ok;
import static dev.taskwatch.core.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.taskwatch.core.guard.LogCapture;
import dev.taskwatch.core.testing.TestCertificates;
import dev.taskwatch.core.testing.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class CatalogTasksClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @StartStop
    final MockWebServer server = new MockWebServer();

    private CatalogTasksClient client;

    @BeforeEach
    void setUp() {
        client = Fixtures.client(server).clock(TestClock.at(NOW)).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    // ---------------------------------------------------------------- 200 and 303

    @Test
    void http200GivesTheDecodedTaskAndBlockWorks() throws InterruptedException {
        String body = read("task-running-all-fields.json");
        server.enqueue(json(200, body));

        Task task = client.retrieve(ZONE, "task-0002").block(WAIT);

        assertThat(task).isEqualTo(Task.fromJson(body));
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/zones/zone-1/catalog_tasks/task-0002");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64})
    void http200BodyInManyChunksDecodesTheSame(int chunkSize) {
        String body = read("task-running-all-fields.json").replace("task-0002", TASK);
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .chunkedBody(body, chunkSize)
                .build());

        Task task = client.retrieve(ZONE, TASK).block(WAIT);

        assertThat(task).isEqualTo(Task.fromJson(body));
    }

    @Test
    void http200WithCompletedStatusIsTerminal() {
        server.enqueue(ok("completed"));

        StepVerifier.create(client.retrieve(ZONE, TASK))
                .assertNext(task -> assertThat(task.status().isTerminal()).isTrue())
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void http303MeansCompletedWithTheInstallIdFromLocation() {
        server.enqueue(new MockResponse.Builder()
                .code(303)
                .setHeader("Location", "https://api.keycard.ai/zones/zone-1/installs/inst-9")
                .build());

        Task task = client.retrieve(ZONE, TASK).block(WAIT);

        assertThat(task).isEqualTo(Task.of(TASK, TaskStatus.COMPLETED, "inst-9"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {
                "/zones/zone-1/installs/inst-9, inst-9",
                "/zones/zone-1/installs/inst-9/, inst-9",
                "../installs/inst-9?view=full, inst-9",
                "'::not a uri::', null",
                "/zones/zone-1/installs/%2e%2e, null",
                "'', null"
            })
    void http303TakesTheInstallIdFromTheLastPathSegmentWhenValid(String location, String installId) {
        server.enqueue(new MockResponse.Builder()
                .code(303)
                .setHeader("Location", location)
                .build());

        Task task = client.retrieve(ZONE, TASK).block(WAIT);

        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(task.installId()).isEqualTo(installId);
    }

    @Test
    void http303WithoutLocationIsStillCompleted() {
        server.enqueue(new MockResponse.Builder().code(303).build());

        Task task = client.retrieve(ZONE, TASK).block(WAIT);

        assertThat(task).isEqualTo(Task.of(TASK, TaskStatus.COMPLETED, null));
    }

    @Test
    void http303ToAnotherHostIsNeverFollowed() throws IOException {
        try (MockWebServer other = new MockWebServer()) {
            other.start();
            other.enqueue(ok("running"));
            server.enqueue(new MockResponse.Builder()
                    .code(303)
                    .setHeader("Location", other.url("/zones/zone-1/installs/inst-9"))
                    .body("<html>see other</html>")
                    .build());

            Task task = client.retrieve(ZONE, TASK).block(WAIT);

            assertThat(task.installId()).isEqualTo("inst-9");
            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(other.getRequestCount()).isZero();
        }
    }

    @Test
    void http303BodyIsDrainedSoTheConnectionIsReused() throws InterruptedException {
        server.enqueue(new MockResponse.Builder()
                .code(303)
                .setHeader("Location", "/zones/zone-1/installs/inst-9")
                .body("<html>see other</html>")
                .build());
        server.enqueue(ok("completed"));
        // One connection only: the second request waits for the first to be released, which reuses it only if
        // the 303's body was read to the end.
        try (CatalogTasksClient single =
                Fixtures.client(server).maxConnections(1).build()) {
            single.retrieve(ZONE, TASK).block(WAIT);
            single.retrieve(ZONE, TASK).block(WAIT);
        }

        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(second.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 307, 308})
    void redirectIsNeverFollowed(int status) {
        server.enqueue(new MockResponse.Builder()
                .code(status)
                .setHeader("Location", TASK_PATH)
                .build());
        server.enqueue(ok("running"));

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.httpStatus()).isEqualTo(status);
            assertThat(api.isTransient()).isFalse();
        });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- other statuses

    @ParameterizedTest
    @CsvSource({
        "204, false",
        "400, false",
        "401, false",
        "403, false",
        "404, false",
        "408, true",
        "409, false",
        "418, false",
        "422, false",
        "429, true",
        "500, true",
        "501, false",
        "502, true",
        "503, true",
        "504, true"
    })
    void statusMapsToAnApiExceptionWithItsTransience(int status, boolean transientFailure) {
        server.enqueue(new MockResponse.Builder().code(status).build());

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.httpStatus()).isEqualTo(status);
            assertThat(api.isTransient()).isEqualTo(transientFailure);
            assertThat(api.request()).isEqualTo("GET " + TASK_PATH);
            assertThat(api).hasMessage("GET " + TASK_PATH + " → " + status);
        });
    }

    @Test
    void http404IsNotTransient() {
        server.enqueue(json(
                404,
                "{\"code\":\"not_found\",\"message\":\"task not found\",\"request_id\":\"3f2a\",\"status\":404,"
                        + "\"details\":[]}"));

        StepVerifier.create(client.retrieve(ZONE, TASK))
                .expectErrorSatisfies(
                        e -> assertThat(e)
                                .isInstanceOfSatisfying(CatalogApiException.class, api -> {
                                    assertThat(api.isTransient()).isFalse();
                                    assertThat(api.code()).isEqualTo(ErrorCode.NOT_FOUND);
                                })
                                .hasMessage(
                                        "GET /zones/zone-1/catalog_tasks/task-1 → 404 not_found: task not found (request 3f2a)"))
                .verify(WAIT);
    }

    @Test
    void http502WithAnHtmlBodyIsTransientAndCarriesNoServerFields() {
        server.enqueue(new MockResponse.Builder()
                .code(502)
                .setHeader("Content-Type", "text/html")
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>")
                .build());

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.isTransient()).isTrue();
            assertThat(api.codeValue()).isNull();
            assertThat(api.code()).isEqualTo(ErrorCode.UNKNOWN);
            assertThat(api.serverMessage()).isNull();
            assertThat(api.details()).isEmpty();
            assertThat(api.requestId()).isNull();
        });
    }

    @Test
    void errorBodyFieldsAreCarried() {
        server.enqueue(json(422, read("error-validation.json")));

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.httpStatus()).isEqualTo(422);
            assertThat(api.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(api.codeValue()).isEqualTo("validation_error");
            assertThat(api.serverMessage()).isEqualTo("request validation failed");
            assertThat(api.requestId()).isEqualTo("5f0c2a8e-1b3d-4c5e-9a7b-8c9d0e1f2a3b");
            assertThat(api.details())
                    .containsExactly(
                            new Warning.Detail("validation_error", "$.task_id", "must be a valid task id"),
                            new Warning.Detail("bad_request", "$.zone_id", "unknown zone"));
            assertThat(api.retryAfter()).isNull();
            assertThat(api)
                    .hasMessage("GET /zones/zone-1/catalog_tasks/task-1 → 422 validation_error: request validation"
                            + " failed (request 5f0c2a8e-1b3d-4c5e-9a7b-8c9d0e1f2a3b)");
        });
    }

    @Test
    void serverTextCannotForgeLogLines() {
        server.enqueue(
                json(
                        500,
                        "{\"code\":\"internal_error\",\"message\":\"boom\\r\\n[main] INFO fake line\",\"request_id\":\"r\\n1\"}"));

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e)
                .hasMessage("GET " + TASK_PATH + " → 500 internal_error: boom\\u000d\\u000a[main] INFO fake line"
                        + " (request r\\u000a1)");
        assertThat(((CatalogApiException) e).serverMessage()).isEqualTo("boom\r\n[main] INFO fake line");
    }

    @Test
    void debugLineEscapesTheRawStatusTheServerSent() throws Exception {
        String hostile = "running\\r\\n[main] INFO forged \\u001b[2J\\u202e\\u200b";
        server.enqueue(json(200, Fixtures.task(TASK, hostile)));

        String log = LogCapture.debugOutput(
                CatalogTasksClient.class, () -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(log)
                .contains(" → running\\u000d\\u000a[main] INFO forged \\u001b[2J\\u202e\\u200b in ")
                .doesNotContain("\r", "\u001b", "\u202e", "\u200b");
        assertThat(log.lines().filter(l -> l.contains("forged"))).hasSize(1);
    }

    @Test
    void longServerMessageIsCutInTheExceptionMessage() {
        server.enqueue(json(503, "{\"message\":\"" + "x".repeat(10_000) + "\"}"));

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e.getMessage()).hasSizeLessThan(700).endsWith("…(10000 chars)");
        assertThat(((CatalogApiException) e).serverMessage()).hasSize(10_000);
    }

    @Test
    void unknownErrorCodeKeepsItsRawValue() {
        server.enqueue(json(409, "{\"code\":\"already_installing\",\"message\":\"busy\"}"));

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.code()).isEqualTo(ErrorCode.UNKNOWN);
            assertThat(api.codeValue()).isEqualTo("already_installing");
        });
    }

    @Test
    void requestIdFallsBackToTheResponseHeader() {
        server.enqueue(new MockResponse.Builder()
                .code(500)
                .setHeader("X-Request-ID", "hdr-1")
                .body("oops")
                .build());

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e)
                .isInstanceOfSatisfying(
                        CatalogApiException.class,
                        api -> assertThat(api.requestId()).isEqualTo("hdr-1"));
    }

    // ---------------------------------------------------------------- retry hints

    static Stream<Arguments> retryHints() {
        String in30s =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(30).atOffset(ZoneOffset.UTC));
        String past =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(30).atOffset(ZoneOffset.UTC));
        return Stream.of(
                arguments("Retry-After", "7", Duration.ofSeconds(7)),
                arguments("Retry-After", "0", Duration.ZERO),
                arguments("Retry-After", " 12 ", Duration.ofSeconds(12)),
                arguments("Retry-After", in30s, Duration.ofSeconds(30)),
                arguments("Retry-After", past, Duration.ZERO),
                arguments("Retry-After", "99999999999999999999999", Duration.ofDays(1)),
                arguments("retry-after-ms", "1500", Duration.ofMillis(1500)),
                arguments("Retry-After-Ms", "250", Duration.ofMillis(250)),
                arguments("Retry-After", "soon", null),
                arguments("Retry-After", "-5", null),
                arguments("Retry-After", "1.5", null),
                arguments("Retry-After", "", null),
                arguments("Retry-After", "Mon, 99 Foo 2026 10:00:00 GMT", null),
                arguments("retry-after-ms", "-1", null),
                arguments("retry-after-ms", "1e3", null));
    }

    @ParameterizedTest
    @MethodSource("retryHints")
    void retryHintIsParsedIntoTheException(String header, String value, Duration expected) {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .addHeaderLenient(header, value)
                .build());

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e)
                .isInstanceOfSatisfying(
                        CatalogApiException.class,
                        api -> assertThat(api.retryAfter()).isEqualTo(expected));
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "10")
                .setHeader("retry-after-ms", "2500")
                .build());

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(((CatalogApiException) e).retryAfter()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void retryHintOnA200IsKeptOnTheResponse() {
        server.enqueue(ok("running").newBuilder().setHeader("Retry-After", "3").build());
        server.enqueue(ok("running"));

        assertThat(client.exchange(ZONE, TASK, null).block(WAIT).retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(client.exchange(ZONE, TASK, null).block(WAIT).retryAfter()).isNull();
    }

    @Test
    void retryHintOnA303IsKeptOnTheResponse() {
        server.enqueue(new MockResponse.Builder()
                .code(303)
                .setHeader("retry-after-ms", "40")
                .build());

        assertThat(client.exchange(ZONE, TASK, null).block(WAIT).retryAfter()).isEqualTo(Duration.ofMillis(40));
    }

    // ---------------------------------------------------------------- what is sent

    @Test
    void clientRequestIdIsSentExactlyWhenGiven() throws InterruptedException {
        server.enqueue(ok("running"));
        server.enqueue(ok("running"));

        client.retrieve(ZONE, TASK).block(WAIT);
        client.retrieve(ZONE, TASK, "7b2c9a40-0d1e-4f3a-8b6c-5d4e3f2a1b0c").block(WAIT);

        assertThat(server.takeRequest().getHeaders().values("X-Client-Request-ID"))
                .isEmpty();
        assertThat(server.takeRequest().getHeaders().values("X-Client-Request-ID"))
                .containsExactly("7b2c9a40-0d1e-4f3a-8b6c-5d4e3f2a1b0c");
    }

    @Test
    void userAgentAndAcceptAreSent() throws InterruptedException {
        server.enqueue(ok("running"));

        client.retrieve(ZONE, TASK).block(WAIT);

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("User-Agent")).matches("taskwatch/\\S+");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
    }

    @Test
    void baseUrlPathPrefixIsKept() throws InterruptedException {
        server.enqueue(ok("running"));
        try (CatalogTasksClient prefixed = Fixtures.client(server)
                .baseUrl(Fixtures.baseUrl(server).resolve("/api/v1/"))
                .build()) {

            prefixed.retrieve(ZONE, TASK).block(WAIT);
        }

        assertThat(server.takeRequest().getTarget()).isEqualTo("/api/v1" + TASK_PATH);
    }

    // ---------------------------------------------------------------- bad bodies

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"id\":\"task-1\"}", "{\"id\":\"task-1\",\"status\":"})
    void malformed200IsATransientProtocolError(String body) {
        server.enqueue(json(200, body));

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e)
                .isInstanceOf(CatalogProtocolException.class)
                .hasMessageStartingWith("GET " + TASK_PATH + " → 200 with an invalid Task: ");
        assertThat(((CatalogException) e).isTransient()).isTrue();
    }

    @Test
    void invalidUtf8BodyIsAProtocolError() {
        Buffer body = new Buffer()
                .writeUtf8("{\"id\":\"task-1\",\"status\":\"run")
                .writeByte(0xC3)
                .writeByte(0x28)
                .writeUtf8("ning\"}");
        server.enqueue(new MockResponse.Builder().code(200).body(body).build());

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOf(CatalogProtocolException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void deeplyNestedBodyIsAProtocolError() {
        server.enqueue(json(200, "{\"id\":\"task-1\",\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_001)));

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOf(CatalogProtocolException.class).hasMessageContaining("nesting depth");
    }

    @Test
    void taskForAnotherIdIsANonTransientProtocolError() {
        server.enqueue(json(200, Fixtures.task("task-2", "completed")));

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e)
                .isInstanceOf(CatalogProtocolException.class)
                .hasMessage("GET " + TASK_PATH + " → 200 with a Task for another id: \"task-2\"");
        assertThat(((CatalogException) e).isTransient()).isFalse();
    }

    @Test
    void bodyUpToTheCapIsAcceptedAndOneByteMoreIsNot() {
        String task = Fixtures.task(TASK, "running");
        String exact = task.substring(0, task.length() - 1) + " ".repeat(1024 - task.length()) + "}";
        server.enqueue(json(200, exact));
        server.enqueue(json(200, exact + " "));
        try (CatalogTasksClient small =
                Fixtures.client(server).maxResponseBytes(1024).build()) {

            assertThat(small.retrieve(ZONE, TASK).block(WAIT).id()).isEqualTo(TASK);
            assertThat(catchThrowable(() -> small.retrieve(ZONE, TASK).block(WAIT)))
                    .isInstanceOf(CatalogProtocolException.class)
                    .hasMessage("GET " + TASK_PATH + " → 200 with a body over the 1024-byte limit");
        }
    }

    @Test
    void declaredOversizedBodyIsRejectedBeforeItIsSent() {
        GatedBody body = new GatedBody(5 * 1024 * 1024, 0, false);
        server.enqueue(new MockResponse.Builder().code(200).body(body).build());
        try {
            Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

            assertThat(e)
                    .isInstanceOf(CatalogProtocolException.class)
                    .hasMessage("GET " + TASK_PATH + " → 200 with a body over the 1048576-byte limit");
            assertThat(((CatalogException) e).isTransient()).isTrue();
            assertThat(body.written).isZero();
        } finally {
            body.release.countDown();
        }
    }

    @Test
    void chunkedOversizedBodyIsRejectedWhileReading() {
        GatedBody body = new GatedBody(5 * 1024 * 1024, 2 * 1024 * 1024, true);
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body(body)
                .removeHeader("Content-Length")
                .setHeader("Transfer-Encoding", "chunked")
                .build());
        try {
            // The server holds back the last 3 MiB until the client has given up: a client that buffered the whole
            // body would wait here until its response timeout and fail with a transport error instead.
            Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

            assertThat(e)
                    .isInstanceOf(CatalogProtocolException.class)
                    .hasMessage("GET " + TASK_PATH + " → 200 with a body over the 1048576-byte limit");
            assertThat(body.written).isLessThanOrEqualTo(2 * 1024 * 1024);
        } finally {
            body.release.countDown();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 502})
    void oversizedErrorBodyStillGivesTheStatus(int status) {
        server.enqueue(new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "text/html")
                .body("<html>" + "x".repeat(1024 * 1024) + "</html>")
                .build());

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.httpStatus()).isEqualTo(status);
            assertThat(api.isTransient()).isEqualTo(status == 502);
            assertThat(api.serverMessage()).isNull();
        });
    }

    @Test
    void declaredOversizedErrorBodyIsNotRead() {
        GatedBody body = new GatedBody(5 * 1024 * 1024, 0, false);
        server.enqueue(new MockResponse.Builder().code(403).body(body).build());
        try {
            Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

            assertThat(e)
                    .isInstanceOfSatisfying(
                            CatalogApiException.class,
                            api -> assertThat(api.httpStatus()).isEqualTo(403));
            assertThat(body.written).isZero();
        } finally {
            body.release.countDown();
        }
    }

    @Test
    void oversized303BodyIsStillCompleted() {
        server.enqueue(new MockResponse.Builder()
                .code(303)
                .setHeader("Location", "/zones/zone-1/installs/inst-9")
                .chunkedBody("x".repeat(2 * 1024 * 1024), 64 * 1024)
                .build());

        Task task = client.retrieve(ZONE, TASK).block(WAIT);

        assertThat(task).isEqualTo(Task.of(TASK, TaskStatus.COMPLETED, "inst-9"));
    }

    // ---------------------------------------------------------------- transport faults

    @Test
    void disconnectAtStartIsATransientTransportError() {
        MockResponse disconnect = new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket())
                .build();
        server.enqueue(disconnect);
        server.enqueue(disconnect);

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOf(CatalogTransportException.class).hasMessageStartingWith("GET " + TASK_PATH);
        assertThat(((CatalogException) e).isTransient()).isTrue();
    }

    @Test
    void disconnectDuringBodyIsATransientTransportError() {
        server.enqueue(json(200, Fixtures.task(TASK, "running") + " ".repeat(64 * 1024))
                .newBuilder()
                .onResponseBody(new SocketEffect.CloseSocket())
                .build());

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e)
                .isInstanceOf(CatalogTransportException.class)
                .hasMessageContaining("connection closed before the response completed");
        assertThat(((CatalogException) e).isTransient()).isTrue();
    }

    @Test
    void stallPastTheResponseTimeoutIsATransientTransportError() {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        try (CatalogTasksClient impatient =
                Fixtures.client(server).responseTimeout(Duration.ofMillis(200)).build()) {

            Throwable e = catchThrowable(() -> impatient.retrieve(ZONE, TASK).block(WAIT));

            assertThat(e)
                    .isInstanceOf(CatalogTransportException.class)
                    .hasMessage("GET " + TASK_PATH + " failed: no response within the response timeout");
            assertThat(((CatalogException) e).isTransient()).isTrue();
        }
    }

    @Test
    void stallDuringTheBodyIsATransientTransportError() {
        server.enqueue(json(200, Fixtures.task(TASK, "running") + " ".repeat(64 * 1024))
                .newBuilder()
                .onResponseBody(SocketEffect.Stall.INSTANCE)
                .build());
        try (CatalogTasksClient impatient =
                Fixtures.client(server).responseTimeout(Duration.ofMillis(200)).build()) {

            Throwable e = catchThrowable(() -> impatient.retrieve(ZONE, TASK).block(WAIT));

            assertThat(e).isInstanceOf(CatalogTransportException.class);
            assertThat(((CatalogException) e).isTransient()).isTrue();
        }
    }

    @Test
    void connectionRefusedIsATransientTransportError() throws IOException {
        MockWebServer closed = new MockWebServer();
        closed.start();
        closed.close();
        try (CatalogTasksClient refused = Fixtures.client(closed).build()) {

            Throwable e = catchThrowable(() -> refused.retrieve(ZONE, TASK).block(WAIT));

            assertThat(e).isInstanceOf(CatalogTransportException.class).hasMessageStartingWith("GET " + TASK_PATH);
            assertThat(((CatalogException) e).isTransient()).isTrue();
        }
    }

    @Test
    void untrustedCertificateIsADefiniteTransportError(@TempDir Path dir) throws Exception {
        // Made by keytool at test time: no key material is committed.
        Path store = new TestCertificates(dir).selfSigned("server", "localhost", "dns:localhost,ip:127.0.0.1");
        try (MockWebServer https = new MockWebServer()) {
            https.useHttps(TestCertificates.serverContext(store).getSocketFactory());
            https.start();
            https.enqueue(ok("running"));
            try (CatalogTasksClient verifying = Fixtures.client(https)
                    .credentials(Credentials.bearer("kc-SECRET-key"))
                    .build()) {

                Throwable e =
                        catchThrowable(() -> verifying.retrieve(ZONE, TASK).block(WAIT));

                assertThat(e)
                        .isInstanceOf(CatalogTransportException.class)
                        .hasMessageStartingWith("GET " + TASK_PATH + " failed: TLS handshake failed")
                        .hasMessageNotContaining("kc-SECRET-key");
                assertThat(((CatalogException) e).isTransient()).isFalse();
            }
            assertThat(https.getRequestCount()).isZero();
        }
    }

    // ---------------------------------------------------------------- input validation

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "%2e%2e", "x\r\ny", ".", "..", "", "a b", "a?b", "a#b", "é", "a\u0000"})
    void invalidTaskIdIsRejectedBeforeAnyIo(String id) {
        assertThatThrownBy(() -> client.retrieve(ZONE, id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("taskId ")
                .message()
                .doesNotContain("\r", "\n");
        assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "%2e%2e", "x\r\ny", ".", "..", ""})
    void invalidZoneIdIsRejectedBeforeAnyIo(String id) {
        assertThatThrownBy(() -> client.retrieve(id, TASK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("zoneId ");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void idsOf129CharactersAreRejectedBeforeAnyIo() {
        String id = "a".repeat(129);

        assertThatThrownBy(() -> client.retrieve(id, TASK)).hasMessageStartingWith("zoneId ");
        assertThatThrownBy(() -> client.retrieve(ZONE, id)).hasMessageStartingWith("taskId ");
        assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nInjected: yes", "a\nb", "a\rb", "naïve", "tab\there", "\u007f", ""})
    void invalidClientRequestIdIsRejectedBeforeAnyIo(String requestId) {
        assertThatThrownBy(() -> client.retrieve(ZONE, TASK, requestId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clientRequestId ");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void clientRequestIdOf129CharactersIsRejectedBeforeAnyIo() {
        assertThatThrownBy(() -> client.retrieve(ZONE, TASK, "r".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clientRequestId ");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        assertThatThrownBy(() -> client.retrieve(null, TASK))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("zoneId");
        assertThatThrownBy(() -> client.retrieve(ZONE, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("taskId");
        assertThatThrownBy(() -> client.retrieve(ZONE, TASK, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("clientRequestId");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void idsOf128CharactersAreAccepted() throws InterruptedException {
        String zone = "Z".repeat(128);
        String task = "a-Z_0.9~".repeat(16);
        String requestId = "!~ ".repeat(42) + "ab";
        server.enqueue(json(200, Fixtures.task(task, "running")));

        Task retrieved = client.retrieve(zone, task, requestId).block(WAIT);

        assertThat(retrieved.id()).isEqualTo(task);
        RecordedRequest request = server.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/zones/" + zone + "/catalog_tasks/" + task);
        assertThat(request.getHeaders().get("X-Client-Request-ID")).isEqualTo(requestId);
    }

    // ---------------------------------------------------------------- laziness and cancellation

    @Test
    void nothingIsSentUntilSubscription() throws InterruptedException {
        server.enqueue(ok("pending"));
        server.enqueue(ok("running"));

        Mono<Task> lazy = client.retrieve(ZONE, TASK, "lazy");
        client.retrieve(ZONE, TASK, "never subscribed"); // assembled, never subscribed

        assertThat(lazy.block(WAIT).status()).isEqualTo(TaskStatus.PENDING);
        assertThat(lazy.block(WAIT).status()).isEqualTo(TaskStatus.RUNNING);
        client.close(); // nothing can be sent after this: what the server saw is all there is
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(server.takeRequest().getHeaders().get("X-Client-Request-ID")).isEqualTo("lazy");
        assertThat(server.takeRequest().getHeaders().get("X-Client-Request-ID")).isEqualTo("lazy");
    }

    @Test
    void cancellingAStalledRequestLeavesNoMoreRequests() throws InterruptedException {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        server.enqueue(ok("running"));

        StepVerifier.create(client.retrieve(ZONE, TASK))
                .expectSubscription()
                .then(() -> takeRequest())
                .thenCancel()
                .verify(WAIT);

        // The cancel gave the connection up: none is lent out, and the stalled one is not kept for reuse.
        assertThat(PoolProbe.settled(client, WAIT)).isEqualTo(new PoolProbe.Stats(0, 0, 0));
        // A fresh request gets the second response on a new connection: the stalled one was not retried or reused.
        assertThat(client.retrieve(ZONE, TASK).block(WAIT).status()).isEqualTo(TaskStatus.RUNNING);
        RecordedRequest next = server.takeRequest();
        assertThat(next.getConnectionIndex()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void timeoutCancelsTheExchange() throws InterruptedException {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        server.enqueue(ok("running"));
        // Times out as soon as the server holds the request, however slow the machine is.
        Mono<RecordedRequest> seenByServer =
                Mono.fromCallable(server::takeRequest).subscribeOn(Schedulers.boundedElastic());

        Throwable e = catchThrowable(
                () -> client.retrieve(ZONE, TASK).timeout(seenByServer).block(WAIT));

        assertThat(e).hasCauseInstanceOf(TimeoutException.class);
        assertThat(PoolProbe.settled(client, WAIT)).isEqualTo(new PoolProbe.Stats(0, 0, 0));
        assertThat(client.retrieve(ZONE, TASK).block(WAIT).status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(server.takeRequest().getConnectionIndex()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void closedClientFailsLaterExchangesWithoutSendingThem() {
        server.enqueue(ok("running"));
        Mono<Task> builtBeforeClose = client.retrieve(ZONE, TASK);

        client.close();
        client.close();

        assertThatThrownBy(() -> builtBeforeClose.block(WAIT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("GET " + TASK_PATH + ": the CatalogTasksClient is closed");
        assertThatThrownBy(() -> client.retrieve(ZONE, TASK).block(WAIT)).isInstanceOf(IllegalStateException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    private void takeRequest() {
        try {
            assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A body of {@code length} bytes that writes {@code before} of them, then waits for {@link #release} before
     * writing the rest. Chunked framing is written by hand when {@code chunked}.
     */
    static final class GatedBody implements MockResponseBody {
        final CountDownLatch release = new CountDownLatch(1);
        private final long length;
        private final long before;
        private final boolean chunked;
        volatile long written;

        GatedBody(long length, long before, boolean chunked) {
            this.length = length;
            this.before = before;
            this.chunked = chunked;
        }

        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            byte[] chunk = "x".repeat(8192).getBytes(StandardCharsets.US_ASCII);
            for (long n = 0; n < length; n += chunk.length) {
                if (n == before) {
                    sink.flush();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (chunked) {
                    sink.writeUtf8(Integer.toHexString(chunk.length) + "\r\n");
                }
                sink.write(chunk);
                if (chunked) {
                    sink.writeUtf8("\r\n");
                }
                written = n + chunk.length;
            }
            if (chunked) {
                sink.writeUtf8("0\r\n\r\n");
            }
        }
    }
}
