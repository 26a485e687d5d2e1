package dev.taskwatch.reactor;

import static dev.taskwatch.core.testing.LogSafety.assertSafeForALog;
import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

/**
 * Issue 6: the encoded and Unicode id corpus refused by {@link TaskWatcher#watch} at call time, and hostile client
 * request ids from {@link WatchOptions#clientRequestIds} refused by the client before the request is sent; in both
 * cases the server sees nothing.
 */
class WatchInjectionTest {

    private final MockWebServer server = new MockWebServer();
    private CatalogTasksClient client;

    static Stream<String> hostileIds() {
        return Stream.of(
                "%2F",
                "a%2Fb",
                "%252e%252e",
                "..%2f",
                "\uFF0E\uFF0E",
                "\uFF0F",
                "a\u0000b",
                "\u202Eexe.txt",
                "a\u200Bb",
                "a\u2028b",
                "a\u0085b",
                "\uFEFFtask",
                "\uD83D\uDE80",
                "a\uD800",
                "a\tb",
                "a\r\nb",
                "a;b",
                "a/../b",
                "..",
                ".",
                "",
                "a".repeat(129));
    }

    static Stream<String> hostileRequestIds() {
        return Stream.of(
                "a\r\nX-Injected: 1", "a\u0085b", "a\u2028b", "a\tb", "caf\u00e9", "\u202Eabc", "r".repeat(129));
    }

    @BeforeEach
    void start() throws IOException {
        server.start();
        client = CatalogTasksClient.builder()
                .baseUrl(URI.create(server.url("/").toString()))
                .credentials(Credentials.none())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @ParameterizedTest
    @MethodSource("hostileIds")
    void hostileIdIsRefusedByWatchAtCallTime(String id) {
        TaskWatcher watcher = TaskWatcher.create(client);

        assertThatThrownBy(() -> watcher.watch(ZONE, id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("taskId must be 1-128 characters")
                .satisfies(e -> assertSafeForALog(e.getMessage()));
        assertThatThrownBy(() -> watcher.awaitCompleted(id, TASK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("zoneId ")
                .satisfies(e -> assertSafeForALog(e.getMessage()));
        assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest
    @MethodSource("hostileRequestIds")
    void hostileClientRequestIdEndsTheWatchBeforeAnyRequest(String requestId) {
        TaskWatcher watcher = TaskWatcher.create(client, WatchOptions.defaults().clientRequestIds(() -> requestId));

        StepVerifier.create(watcher.watch(ZONE, TASK))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOfSatisfying(WatchException.class, w -> {
                        assertThat(w.isTransient()).isFalse();
                        assertThat(w.polls()).isEqualTo(1);
                    });
                    assertThat(e.getCause())
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageStartingWith("clientRequestId ");
                    assertSafeForALog(e.getMessage());
                })
                .verify(Duration.ofSeconds(10));
        assertThat(server.getRequestCount()).isZero();
    }
}
