package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.TASK;
import static dev.taskwatch.core.Fixtures.ZONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.testing.LogSafety;
import java.time.Duration;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 6: ids and header values that could inject paths or headers, in encoded and Unicode forms, are refused before
 * any I/O (the server sees no request), and the refusal's message cannot itself forge or hide log lines. Extends the
 * ASCII cases of {@link CatalogTasksClientTest}.
 */
class InjectionCorpusTest {

    /** Ids that must be refused, each named by what it tries. */
    static Stream<String> hostileIds() {
        return Stream.of(
                "%2F", // an encoded slash, decoded by some proxies into a path separator
                "a%2Fb",
                "%2e%2e%2f",
                "%252e%252e", // double-encoded ..
                "..%2f",
                "\uFF0E\uFF0E", // fullwidth full stops, NFKC-normalised to .. by some stacks
                "\uFF0F", // fullwidth solidus
                "a\u0000b", // NUL
                "\u202Eexe.txt", // right-to-left override
                "a\u200Bb", // zero-width space
                "a\u2028b", // line separator
                "a\u2029b", // paragraph separator
                "a\u0085b", // NEL
                "\uFEFFtask", // byte order mark
                "a\u00A0b", // no-break space
                "\uD83D\uDE80", // an emoji (a surrogate pair)
                "a\uD800", // a lone surrogate
                "\uFF41", // fullwidth a
                "\u0130", // dotted capital I (lowercases to two chars)
                "a\tb",
                "a\rb",
                "a\nb",
                "a;b", // path parameter
                "a\\b",
                "a/../b",
                "..;",
                "?x=1",
                "#frag",
                "a b",
                "a".repeat(129),
                "x".repeat(10_000));
    }

    /** Client request ids that must be refused. */
    static Stream<String> hostileRequestIds() {
        return Stream.of(
                "a\r\nX-Injected: 1",
                "a\u0085X-Injected: 1", // NEL: a line break to some parsers
                "a\u2028b",
                "a\tb", // tab: legal in a header value, refused as not printable
                "a\u000bb", // vertical tab
                "a\u000cb", // form feed
                "\u0000",
                "\u007f",
                "caf\u00e9",
                "\u202Eabc",
                "a\u200Bb",
                "\uD83D\uDE80",
                "\uFF0E",
                "r".repeat(129),
                "");
    }

    @StartStop
    final MockWebServer server = new MockWebServer();

    private CatalogTasksClient client;

    @BeforeEach
    void setUp() {
        client = Fixtures.client(server).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @ParameterizedTest
    @MethodSource("hostileIds")
    void hostileTaskIdIsRefusedBeforeAnyIo(String id) {
        assertThatThrownBy(() -> client.retrieve(ZONE, id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("taskId must be 1-128 characters of [A-Za-z0-9._~-]")
                .satisfies(e -> assertSafeForALog(e.getMessage()));
        assertThat(server.getRequestCount()).as("requests the server saw").isZero();
    }

    @ParameterizedTest
    @MethodSource("hostileIds")
    void hostileZoneIdIsRefusedBeforeAnyIo(String id) {
        assertThatThrownBy(() -> client.exchange(id, TASK, "req-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("zoneId ")
                .satisfies(e -> assertSafeForALog(e.getMessage()));
        assertThat(server.getRequestCount()).as("requests the server saw").isZero();
    }

    @ParameterizedTest
    @MethodSource("hostileRequestIds")
    void hostileClientRequestIdIsRefusedBeforeAnyIo(String requestId) {
        assertThatThrownBy(() -> client.retrieve(ZONE, TASK, requestId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clientRequestId must be 1-128 printable ASCII characters")
                .satisfies(e -> assertSafeForALog(e.getMessage()));
        assertThat(server.getRequestCount()).as("requests the server saw").isZero();
    }

    @Test
    void unicodeInARefusedIdIsEscapedInTheMessage() {
        assertThatThrownBy(() -> client.retrieve(ZONE, "a\u2028b\u202Ec\u0085d"))
                .hasMessageEndingWith("got \"a\\u2028b\\u202ec\\u0085d\"");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void encodedLookingButPrintableRequestIdIsSentVerbatim() throws InterruptedException {
        // "%0d%0a" is six printable characters, not a line break: header values are not percent-decoded.
        String requestId = "%0d%0aX-Injected:%201";
        server.enqueue(Fixtures.ok("running"));

        client.retrieve(ZONE, TASK, requestId).block(Duration.ofSeconds(10));

        var recorded = server.takeRequest();
        assertThat(recorded.getHeaders().get("X-Client-Request-ID")).isEqualTo(requestId);
        assertThat(recorded.getHeaders().get("X-Injected")).isNull();
    }

    /** Safe for a log line, and short: hostile input is cut, not copied whole into the message. */
    private static void assertSafeForALog(String message) {
        LogSafety.assertSafeForALog(message);
        assertThat(message).hasSizeLessThan(400);
    }
}
