package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.TASK;
import static dev.taskwatch.core.Fixtures.ZONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.taskwatch.core.internal.SafeText;
import dev.taskwatch.core.testing.LogSafety;
import dev.taskwatch.core.testing.TestClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import okio.BufferedSink;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 6, hostile input: a corpus of responses a broken or malicious server (or a proxy in between) could send, each
 * with the outcome it must have, played over real HTTP (MockWebServer on loopback) through the real client.
 *
 * <p>Every case either succeeds as documented or ends with a typed {@link CatalogException} whose message names what
 * was wrong; none may hang (per-case timeout), throw anything else (an NPE, an OOM), follow a redirect, or show the
 * bearer token. The table printed at the end ({@code case → outcome}) is what RELIABILITY.md quotes; run it with
 * {@code mvn -B -ntp -pl core -am verify -Dtest=HostileResponseCorpusTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HostileResponseCorpusTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String TOKEN = "tw-marker-bearer-1d9e5c";
    private static final int MIB = 1024 * 1024;
    private static final Map<String, String> OUTCOMES = new ConcurrentSkipListMap<>();

    @StartStop
    final MockWebServer server = new MockWebServer();

    private CatalogTasksClient client;

    @BeforeEach
    void setUp() {
        client = Fixtures.client(server)
                .credentials(Credentials.bearer(TOKEN))
                .clock(TestClock.at(NOW))
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @AfterAll
    static void printSummary() {
        StringBuilder table = new StringBuilder("\nHostile response corpus: " + OUTCOMES.size() + " cases\n");
        table.append("| case | outcome |\n|---|---|\n");
        OUTCOMES.forEach((name, outcome) -> table.append("| ")
                .append(name)
                .append(" | ")
                .append(outcome.replace("|", "\\|"))
                .append(" |\n"));
        System.out.println(table);
    }

    // ---------------------------------------------------------------- the corpus

    static Stream<Case> corpus() {
        String task = Fixtures.task(TASK, "running");
        String head = "{\"id\":\"task-1\",\"created_at\":\"2026-03-01T10:00:00Z\",\"operation\":\"create\","
                + "\"status\":\"running\",\"updated_at\":\"2026-03-01T10:00:00Z\"";
        List<Case> cases = new ArrayList<>();

        // Truncated and malformed JSON: transient (a proxy may have garbled one response), named as JSON trouble.
        cases.add(of(
                "01 truncated mid-string",
                200,
                "{\"id\":\"task-1\",\"status\":\"runn",
                protocol(true, "not valid JSON")));
        cases.add(of("02 truncated after a comma", 200, head + ",", protocol(true, "not valid JSON")));
        cases.add(of(
                "03 truncated inside links",
                200,
                head + ",\"links\":[{\"href\":\"/x\",",
                protocol(true, "not valid JSON")));
        cases.add(of("04 trailing garbage after the object", 200, task + "garbage", protocol(true, "not valid JSON")));
        cases.add(of("05 two objects back to back", 200, task + task, protocol(true, "not valid JSON")));
        cases.add(of(
                "06 single-quoted strings",
                200,
                "{'id':'task-1','status':'running'}",
                protocol(true, "not valid JSON")));
        cases.add(of("07 comment inside the object", 200, head + "/* hi */}", protocol(true, "not valid JSON")));
        cases.add(of(
                "08 NaN as package_version",
                200,
                head + ",\"package_version\":NaN}",
                protocol(true, "not valid JSON")));
        cases.add(
                of("09 root is an array", 200, "[" + task + "]", protocol(true, "expected a JSON object, got array")));
        cases.add(of("10 root is a string", 200, "\"running\"", protocol(true, "expected a JSON object, got string")));
        cases.add(of("11 root is null", 200, "null", protocol(true, "expected a JSON object, got null")));
        cases.add(of("12 whitespace only", 200, " \r\n\t ", protocol(true, "expected a JSON object, got nothing")));
        cases.add(of("13 empty 200", 200, "", protocol(true, "empty body")));
        cases.add(of(
                "14 HTML with a JSON content type",
                200,
                "<html><body>Service temporarily unavailable</body></html>",
                protocol(true, "not valid JSON")));
        cases.add(of(
                "15 UTF-8 BOM before the object",
                200,
                "\uFEFF" + task,
                ok(t -> assertThat(t.statusValue()).isEqualTo("running"))));

        // Wrong types for every kind of field: the message names the field and what it got.
        cases.add(of(
                "16 id is a number",
                200,
                task.replace("\"task-1\"", "1"),
                protocol(true, "field 'id' must be a string, got number")));
        cases.add(of(
                "17 status is a number",
                200,
                task.replace("\"running\"", "1"),
                protocol(true, "field 'status' must be a string, got number")));
        cases.add(of(
                "18 status is an object",
                200,
                task.replace("\"running\"", "{\"v\":\"running\"}"),
                protocol(true, "field 'status' must be a string, got object")));
        cases.add(of(
                "19 status is a boolean",
                200,
                task.replace("\"running\"", "true"),
                protocol(true, "field 'status' must be a string, got boolean")));
        cases.add(of(
                "20 created_at is a number",
                200,
                task.replace("\"created_at\":\"2026-03-01T10:00:00Z\"", "\"created_at\":1772359200"),
                protocol(true, "field 'created_at' must be a string, got number")));
        cases.add(of(
                "21 created_at is not a timestamp",
                200,
                task.replace("\"created_at\":\"2026-03-01T10:00:00Z\"", "\"created_at\":\"yesterday\""),
                protocol(true, "field 'created_at' must be an RFC 3339 timestamp, got \"yesterday\"")));
        cases.add(of(
                "22 updated_at without an offset",
                200,
                task.replace("\"updated_at\":\"2026-03-01T10:00:00Z\"", "\"updated_at\":\"2026-03-01T10:00:00\""),
                protocol(true, "field 'updated_at' must be an RFC 3339 timestamp")));
        cases.add(of(
                "23 operation is an array",
                200,
                task.replace("\"create\"", "[\"create\"]"),
                protocol(true, "field 'operation' must be a string, got array")));
        cases.add(of(
                "24 package_version is a string",
                200,
                head + ",\"package_version\":\"3\"}",
                protocol(true, "field 'package_version' must be a number, got string")));
        cases.add(of(
                "25 links is an object",
                200,
                head + ",\"links\":{\"href\":\"/x\"}}",
                protocol(true, "field 'links' must be an array, got object")));
        cases.add(of(
                "26 links[] element is a string",
                200,
                head + ",\"links\":[\"/x\"]}",
                protocol(true, "'links[]' must be an object, got string")));
        cases.add(of(
                "27 link without href",
                200,
                head + ",\"links\":[{\"rel\":\"install\"}]}",
                protocol(true, "missing required field 'href'")));
        cases.add(of(
                "28 link title is a number",
                200,
                head + ",\"links\":[{\"href\":\"/x\",\"rel\":\"r\",\"titles\":{\"en\":1}}]}",
                protocol(true, "titles.en must be a string")));
        cases.add(of(
                "29 warnings is a string",
                200,
                head + ",\"warnings\":\"careful\"}",
                protocol(true, "field 'warnings' must be an array, got string")));
        cases.add(of(
                "30 warning status is a string",
                200,
                head + ",\"warnings\":[{\"code\":\"conflict\",\"status\":\"409\"}]}",
                protocol(true, "field 'status' must be an integer, got string")));
        cases.add(of(
                "31 warning status is 1e400",
                200,
                head + ",\"warnings\":[{\"code\":\"conflict\",\"status\":1e400}]}",
                protocol(true, "field 'status' must be an integer, got number")));
        cases.add(of(
                "32 warning details is an object",
                200,
                head + ",\"warnings\":[{\"details\":{}}]}",
                protocol(true, "field 'details' must be an array, got object")));
        cases.add(of(
                "33 error_message is a boolean",
                200,
                head + ",\"error_message\":false}",
                protocol(true, "field 'error_message' must be a string, got boolean")));

        // Missing required fields.
        cases.add(of("34 empty object", 200, "{}", protocol(true, "missing required field 'id'")));
        cases.add(
                of("35 status missing", 200, "{\"id\":\"task-1\"}", protocol(true, "missing required field 'status'")));
        cases.add(of(
                "36 id is null",
                200,
                task.replace("\"task-1\"", "null"),
                protocol(true, "missing required field 'id'")));
        cases.add(of(
                "37 status is null",
                200,
                task.replace("\"running\"", "null"),
                protocol(true, "missing required field 'status'")));

        // Nulls where lists belong: lists are never null, so these read as empty.
        cases.add(of(
                "38 links is null",
                200,
                head + ",\"links\":null}",
                ok(t -> assertThat(t.links()).isEmpty())));
        cases.add(of(
                "39 warnings is null",
                200,
                head + ",\"warnings\":null}",
                ok(t -> assertThat(t.warnings()).isEmpty())));
        cases.add(of(
                "40 warning details is null",
                200,
                head + ",\"warnings\":[{\"code\":\"conflict\",\"details\":null}]}",
                ok(t -> assertThat(t.warnings().get(0).details()).isEmpty())));

        // Huge numbers: kept exactly as sent while they stay within Jackson's number-length limit (1000 digits).
        cases.add(of(
                "41 package_version 1e400",
                200,
                head + ",\"package_version\":1e400}",
                ok(t -> assertThat(t.packageVersion()).isEqualByComparingTo(new BigDecimal("1e400")))));
        String digits400 = "9".repeat(400);
        cases.add(of(
                "42 package_version of 400 digits",
                200,
                head + ",\"package_version\":" + digits400 + "}",
                ok(t -> assertThat(t.packageVersion()).isEqualTo(new BigDecimal(digits400)))));
        cases.add(of(
                "43 package_version of 1001 digits",
                200,
                head + ",\"package_version\":" + "9".repeat(1001) + "}",
                protocol(true, "exceeds the maximum")));
        cases.add(of(
                "44 package_version 1e999999999 stays short when re-encoded",
                200,
                head + ",\"package_version\":1e999999999}",
                ok(t -> assertThat(t.toJson()).hasSizeLessThan(400))));

        // Nesting: Jackson's depth limit stops the parse long before the stack would.
        cases.add(of(
                "45 nesting 10,000 deep (objects)",
                200,
                head + ",\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_001),
                protocol(true, "nesting depth")));
        cases.add(of(
                "46 nesting 10,000 deep (arrays in link properties)",
                200,
                head + ",\"links\":[{\"href\":\"/x\",\"rel\":\"r\",\"properties\":{\"p\":" + "[".repeat(10_000)
                        + "]".repeat(10_000) + "}}]}",
                protocol(true, "nesting depth")));

        // Size: the cap (1 MiB) is enforced while reading; 50 MB are streamed by the server, never built in memory.
        StreamingBody declared = new StreamingBody(50L * 1000 * 1000, false);
        cases.add(of(
                        "47 50 MB body with Content-Length",
                        new MockResponse.Builder().code(200).body(declared).build(),
                        protocol(true, "with a body over the 1048576-byte limit"))
                .andThen(() -> assertThat(declared.written)
                        .as("bytes the server got to write")
                        .isLessThan(8L * MIB)));
        StreamingBody chunked = new StreamingBody(50L * 1000 * 1000, true);
        cases.add(of(
                        "48 50 MB chunked body",
                        new MockResponse.Builder()
                                .code(200)
                                .body(chunked)
                                .removeHeader("Content-Length")
                                .setHeader("Transfer-Encoding", "chunked")
                                .build(),
                        protocol(true, "with a body over the 1048576-byte limit"))
                .andThen(() -> assertThat(chunked.written)
                        .as("bytes the server got to write")
                        .isLessThan(8L * MIB)));
        cases.add(of(
                "49 valid Task padded one byte past 1 MiB",
                200,
                task + " ".repeat(MIB - task.length() + 1),
                protocol(true, "over the 1048576-byte limit")));

        // Invalid UTF-8 and odd Unicode.
        cases.add(of(
                "50 invalid UTF-8 in a value",
                bytes(200, utf8Then("{\"id\":\"task-1\",\"status\":\"run", 0xC3, 0x28, "ning\"}")),
                protocol(true, "UTF-8")));
        cases.add(of(
                "51 overlong UTF-8 encoding of '/'",
                bytes(200, utf8Then("{\"id\":\"task-1\",\"status\":\"a", 0xC0, 0xAF, "b\"}")),
                protocol(true, "UTF-8")));
        cases.add(of(
                "52 invalid UTF-8 in a key",
                bytes(200, utf8Then("{\"id\":\"task-1\",\"st", 0xFF, 0xFE, "\":1,\"status\":\"running\"}")),
                protocol(true, "UTF-8")));
        cases.add(of(
                "53 lone surrogate escape as status",
                200,
                task.replace("\"running\"", "\"\\ud800\""),
                ok(t -> assertThat(t.status()).isEqualTo(TaskStatus.UNKNOWN))));
        cases.add(of(
                "54 NUL escape in status",
                200,
                task.replace("\"running\"", "\"run\\u0000ning\""),
                ok(t -> assertThat(t.statusValue()).isEqualTo("run\u0000ning"))));

        // Duplicate keys: which one wins is parser-dependent, so neither does.
        cases.add(of(
                "55 duplicate status",
                200,
                head + ",\"status\":\"completed\"}",
                protocol(true, "Duplicate Object property \"status\"")));
        cases.add(of(
                "56 duplicate id",
                200,
                head + ",\"id\":\"task-2\"}",
                protocol(true, "Duplicate Object property \"id\"")));

        // Unknown enum values: accepted, raw value kept.
        cases.add(of("57 unknown status", 200, task.replace("\"running\"", "\"archived\""), ok(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.UNKNOWN);
            assertThat(t.statusValue()).isEqualTo("archived");
        })));
        cases.add(of(
                "58 status in capitals is unknown, not completed",
                200,
                task.replace("\"running\"", "\"COMPLETED\""),
                ok(t -> assertThat(t.status()).isEqualTo(TaskStatus.UNKNOWN))));
        cases.add(of("59 unknown operation", 200, task.replace("\"create\"", "\"migrate\""), ok(t -> {
            assertThat(t.operation()).isEqualTo(TaskOperation.UNKNOWN);
            assertThat(t.operationValue()).isEqualTo("migrate");
        })));
        cases.add(of(
                "60 unknown warning code",
                200,
                head + ",\"warnings\":[{\"code\":\"brand_new\"}]}",
                ok(t -> assertThat(t.warnings().get(0).codeValue()).isEqualTo("brand_new"))));

        // The wrong task.
        cases.add(of(
                "61 Task for another id",
                200,
                Fixtures.task("task-2", "completed"),
                protocol(false, "with a Task for another id: \"task-2\"")));
        cases.add(of(
                "62 Task id differing only in case",
                200,
                Fixtures.task("TASK-1", "completed"),
                protocol(false, "another id: \"TASK-1\"")));
        cases.add(of(
                "63 valid Task labelled text/plain",
                new MockResponse.Builder()
                        .code(200)
                        .setHeader("Content-Type", "text/plain")
                        .body(task)
                        .build(),
                ok(t -> assertThat(t.statusValue()).isEqualTo("running"))));

        // 303: always completed, never followed; the install id only from a well-formed .../installs/{id}.
        cases.add(of("64 303 Location is garbage", redirect303("::not a uri::"), completed(null)));
        cases.add(of(
                "65 303 Location on another host",
                redirect303("https://evil.example/zones/zone-1/installs/inst-9"),
                completed("inst-9")));
        cases.add(of(
                "66 303 Location without an installs segment",
                redirect303("/zones/zone-1/catalog_tasks/task-1"),
                completed(null)));
        cases.add(of("67 303 Location to a login page", redirect303("https://evil.example/login"), completed(null)));
        cases.add(of(
                "68 303 without Location", new MockResponse.Builder().code(303).build(), completed(null)));
        cases.add(of("69 303 Location install id is '..'", redirect303("/zones/zone-1/installs/.."), completed(null)));
        cases.add(of(
                "70 303 Location install id of 129 characters",
                redirect303("/zones/zone-1/installs/" + "i".repeat(129)),
                completed(null)));
        cases.add(of(
                "70b 303 Location of 10,000 characters (over Netty's 8 KiB header limit)",
                redirect303("/zones/zone-1/installs/" + "i".repeat(10_000)),
                transport(true, "HTTP header is larger than 8192 bytes")));
        cases.add(of(
                "71 303 with a failed Task as body",
                redirect303("/zones/zone-1/installs/inst-9")
                        .newBuilder()
                        .setHeader("Content-Type", "application/json")
                        .body(Fixtures.task(TASK, "failed"))
                        .build(),
                completed("inst-9")));

        // Retry hints on a 503: garbage is no hint, a past date is now, a huge one is clamped to a day.
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                NOW.minusSeconds(3600).atOffset(ZoneOffset.UTC));
        cases.add(of("72 Retry-After garbage", status(503, "Retry-After", "soon-ish"), api(503, true, null)));
        cases.add(of("73 Retry-After negative", status(503, "Retry-After", "-30"), api(503, true, null)));
        cases.add(of(
                "74 Retry-After enormous",
                status(503, "Retry-After", "9".repeat(400)),
                api(503, true, Duration.ofDays(1))));
        cases.add(of(
                "75 Retry-After a date in the past", status(503, "Retry-After", past), api(503, true, Duration.ZERO)));
        cases.add(of(
                "76 Retry-After ten years from now",
                status(
                        503,
                        "Retry-After",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                NOW.plus(Duration.ofDays(3650)).atOffset(ZoneOffset.UTC))),
                api(503, true, Duration.ofDays(1))));
        cases.add(of("77 retry-after-ms garbage", status(503, "retry-after-ms", "1e3"), api(503, true, null)));
        cases.add(of(
                "78 retry-after-ms garbage, Retry-After valid",
                status(503, "retry-after-ms", "x")
                        .newBuilder()
                        .setHeader("Retry-After", "5")
                        .build(),
                api(503, true, Duration.ofSeconds(5))));
        cases.add(of(
                "79 Retry-After garbage on a 200",
                Fixtures.ok("running")
                        .newBuilder()
                        .addHeaderLenient("Retry-After", "\u00ff\u00fe")
                        .build(),
                ok(t -> assertThat(t.statusValue()).isEqualTo("running"))));

        // 1xx we do not expect, before the real answer. Reactor Netty skips 100 Continue itself but hands any other
        // interim response over as if it were final (and drops the real one), so those are transient: a poll retries.
        cases.add(of(
                "80 100 Continue before a 200",
                Fixtures.ok("running").newBuilder().add100Continue().build(),
                ok(t -> assertThat(t.statusValue()).isEqualTo("running"))));
        cases.add(of(
                "81 103 Early Hints before a 200",
                Fixtures.ok("running")
                        .newBuilder()
                        .addInformationalResponse(new MockResponse.Builder()
                                .code(103)
                                .setHeader("Link", "</x>; rel=preload")
                                .build())
                        .build(),
                interim(103)));
        cases.add(of(
                "82 102 Processing before a 303",
                redirect303("/zones/zone-1/installs/inst-9")
                        .newBuilder()
                        .addInformationalResponse(
                                new MockResponse.Builder().code(102).build())
                        .build(),
                interim(102)));

        // 2xx, 3xx, 4xx and 5xx we do not expect: definite answers (not transient), never followed.
        for (int code : new int[] {201, 202, 204, 206}) {
            cases.add(of(
                            code + " with a valid Task body",
                            Fixtures.json(code == 204 ? 204 : code, code == 204 ? "" : task),
                            api(code, false, null))
                    .named("83 " + code + " with a valid Task body"));
        }
        for (int code : new int[] {300, 301, 302, 304, 307, 308}) {
            cases.add(of(
                    "84 " + code,
                    status(code, "Location", "https://evil.example/zones/zone-1/catalog_tasks/task-1"),
                    api(code, false, null)));
        }
        for (int code : new int[] {418, 451, 599}) {
            cases.add(of(
                    "85 " + code,
                    Fixtures.json(code, "{\"code\":\"teapot\",\"message\":\"nope\"}"),
                    api(code, false, null)));
        }

        // Error bodies that are themselves hostile: the status decides, the body only adds detail.
        cases.add(of(
                "86 500 with an HTML body",
                new MockResponse.Builder()
                        .code(500)
                        .setHeader("Content-Type", "application/json")
                        .body("<html>oops</html>")
                        .build(),
                api(500, true, null)));
        cases.add(of(
                "87 500 error body with wrong types",
                Fixtures.json(500, "{\"code\":7,\"message\":[\"x\"],\"details\":\"no\"}"),
                api(500, true, null)));
        cases.add(of(
                "88 500 error message of 100 KB with CR/LF",
                Fixtures.json(500, "{\"message\":\"" + "line\\r\\n".repeat(12_800) + "\"}"),
                api(500, true, null)
                        .andMessage(m -> assertThat(m).hasSizeLessThan(4000).doesNotContain("\r", "\n"))));
        cases.add(of(
                "89 404 error body nested 10,000 deep",
                Fixtures.json(404, "{\"details\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
                api(404, false, null)));

        // Framing faults.
        cases.add(of(
                "90 Content-Length larger than the body",
                new MockResponse.Builder()
                        .code(200)
                        .body(task)
                        .setHeader("Content-Length", "5000")
                        .onResponseEnd(new SocketEffect.CloseSocket())
                        .build(),
                transport(true, "connection closed before the response completed")));
        cases.add(of(
                "91 status line that is not HTTP",
                new MockResponse.Builder().status("HELLO 200 OK").body(task).build(),
                transport(true, "failed")));
        return cases.stream();
    }

    // ---------------------------------------------------------------- the test

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void eachHostileResponseHasItsStatedOutcome(Case c) throws InterruptedException {
        server.enqueue(c.response);
        long start = System.nanoTime();
        CatalogTasksClient.Response response = null;
        Throwable error = null;
        try {
            response = client.exchange(ZONE, TASK, "req-1").block(WAIT);
        } catch (Throwable e) {
            error = e;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;

        OUTCOMES.put(c.name, describe(response, error) + " (" + ms + " ms)");
        if (error != null) {
            assertNoSecretAndNoUntypedCause(error);
        }
        c.expect.verify(response, error);
        if (c.after != null) {
            c.after.run();
        }
        // One request: nothing retried at this level, no redirect followed. Taken first: MockWebServer writes an
        // interim (1xx) response before it counts the request, so the exchange can end before the count moves.
        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer " + TOKEN);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void interimResponseDoesNotLeaveItsFinalResponseForTheNextRequest() throws InterruptedException {
        // Reactor Netty ends the exchange at the 103; the 200 behind it ("failed") is still on the wire. A pooled
        // connection would hand it to the next request as that request's answer (seen in the watcher: a poll
        // reported a status the server had sent for the previous poll).
        server.enqueue(Fixtures.ok("failed")
                .newBuilder()
                .addInformationalResponse(new MockResponse.Builder().code(103).build())
                .build());
        server.enqueue(Fixtures.ok("running"));

        assertThat(catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT)))
                .isInstanceOf(CatalogProtocolException.class);
        assertThat(client.retrieve(ZONE, TASK).block(WAIT).statusValue()).isEqualTo("running");
        assertThat(server.takeRequest().getConnectionIndex()).isZero();
        assertThat(server.takeRequest().getConnectionIndex())
                .as("a fresh connection")
                .isEqualTo(1);
    }

    private static void assertNoSecretAndNoUntypedCause(Throwable error) {
        assertThat(error).as("a typed exception, not whatever broke underneath").isInstanceOf(CatalogException.class);
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertThat(t)
                    .isNotInstanceOfAny(NullPointerException.class, OutOfMemoryError.class, StackOverflowError.class);
        }
        LogSafety.assertNoSecret(error, TOKEN);
    }

    private static String describe(CatalogTasksClient.@Nullable Response response, @Nullable Throwable error) {
        if (error == null) {
            Task t = Objects.requireNonNull(response).task();
            return "ok: status " + ascii(t.statusValue())
                    + (t.installId() == null ? "" : ", install " + t.installId())
                    + (response.retryAfter() == null ? "" : ", hint " + response.retryAfter());
        }
        String transience = error instanceof CatalogException tw ? (tw.isTransient() ? "transient" : "fatal") : "?";
        String message = String.valueOf(error.getMessage()).replace("GET /zones/zone-1/catalog_tasks/task-1 ", "");
        String hint = error instanceof CatalogApiException api && api.retryAfter() != null
                ? ", hint " + api.retryAfter()
                : "";
        return error.getClass().getSimpleName() + " (" + transience + hint + "): "
                + ascii(SafeText.escape(message, 110));
    }

    /** Control characters and lone surrogates escaped, so the table prints the same on every console. */
    private static String ascii(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- case and expectation

    static final class Case {
        String name;
        final MockResponse response;
        final Expect expect;

        @Nullable
        Runnable after;

        Case(String name, MockResponse response, Expect expect) {
            this.name = name;
            this.response = response;
            this.expect = expect;
        }

        Case andThen(Runnable check) {
            this.after = check;
            return this;
        }

        Case named(String name) {
            this.name = name;
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case of(String name, int code, String body, Expect expect) {
        return new Case(name, Fixtures.json(code, body), expect);
    }

    static Case of(String name, MockResponse response, Expect expect) {
        return new Case(name, response, expect);
    }

    /** What a case must end with. */
    interface Expect {
        void verify(CatalogTasksClient.@Nullable Response response, @Nullable Throwable error);

        default Expect andMessage(Consumer<String> check) {
            return (response, error) -> {
                verify(response, error);
                check.accept(Objects.requireNonNull(error).getMessage());
            };
        }
    }

    static Expect ok(Consumer<Task> check) {
        return (response, error) -> {
            if (error != null) {
                fail("expected a Task, got " + error, error);
            }
            check.accept(Objects.requireNonNull(response).task());
        };
    }

    static Expect completed(@Nullable String installId) {
        return ok(t -> assertThat(t).isEqualTo(Task.of(TASK, TaskStatus.COMPLETED, installId)));
    }

    static Expect protocol(boolean transientFailure, String fragment) {
        return (response, error) -> assertThat(error).isInstanceOfSatisfying(CatalogProtocolException.class, e -> {
            assertThat(e.isTransient()).as("transient").isEqualTo(transientFailure);
            assertThat(e.getMessage())
                    .startsWith("GET " + Fixtures.TASK_PATH + " → 200 with ")
                    .contains(fragment);
        });
    }

    static Expect interim(int status) {
        return (response, error) -> assertThat(error).isInstanceOfSatisfying(CatalogProtocolException.class, e -> {
            assertThat(e.isTransient()).as("transient").isTrue();
            assertThat(e.getMessage())
                    .isEqualTo("GET " + Fixtures.TASK_PATH + " → " + status
                            + ", an interim (1xx) response in place of the final one");
        });
    }

    static Expect api(int status, boolean transientFailure, @Nullable Duration hint) {
        return (response, error) -> assertThat(error).isInstanceOfSatisfying(CatalogApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(status);
            assertThat(e.isTransient()).as("transient").isEqualTo(transientFailure);
            assertThat(e.retryAfter()).as("retry hint").isEqualTo(hint);
            assertThat(e.getMessage()).startsWith("GET " + Fixtures.TASK_PATH + " → " + status);
        });
    }

    static Expect transport(boolean transientFailure, String fragment) {
        return (response, error) -> assertThat(error).isInstanceOfSatisfying(CatalogTransportException.class, e -> {
            assertThat(e.isTransient()).as("transient").isEqualTo(transientFailure);
            assertThat(e.getMessage()).startsWith("GET " + Fixtures.TASK_PATH).contains(fragment);
        });
    }

    // ---------------------------------------------------------------- responses

    static MockResponse redirect303(String location) {
        return new MockResponse.Builder()
                .code(303)
                .setHeader("Location", location)
                .build();
    }

    static MockResponse status(int code, String header, String value) {
        return new MockResponse.Builder()
                .code(code)
                .addHeaderLenient(header, value)
                .build();
    }

    static MockResponse bytes(int code, Buffer body) {
        return new MockResponse.Builder()
                .code(code)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    static Buffer utf8Then(String before, int b1, int b2, String after) {
        return new Buffer().writeUtf8(before).writeByte(b1).writeByte(b2).writeUtf8(after);
    }

    /** {@code length} bytes of JSON-ish filler written 8 KiB at a time: never held in memory as a whole. */
    static final class StreamingBody implements MockResponseBody {
        private final long length;
        private final boolean chunked;
        volatile long written;

        StreamingBody(long length, boolean chunked) {
            this.length = length;
            this.chunked = chunked;
        }

        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            byte[] chunk = ("{\"id\":\"task-1\",\"pad\":\"" + "x".repeat(8192 - 24) + "\",")
                    .substring(0, 8192)
                    .getBytes(StandardCharsets.US_ASCII);
            for (long n = 0; n < length; n += chunk.length) {
                int size = (int) Math.min(chunk.length, length - n);
                if (chunked) {
                    sink.writeUtf8(Integer.toHexString(size) + "\r\n");
                }
                sink.write(chunk, 0, size);
                if (chunked) {
                    sink.writeUtf8("\r\n");
                }
                written = n + size; // throws once the client has hung up, which ends this loop
            }
            if (chunked) {
                sink.writeUtf8("0\r\n\r\n");
            }
        }
    }
}
