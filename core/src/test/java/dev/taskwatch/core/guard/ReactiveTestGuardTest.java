package dev.taskwatch.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.testing.BlockHoundCheck;
import io.netty.buffer.ByteBufAllocator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ReactiveTestGuardTest {

    @Test
    void blockingCallOnAParallelThreadFails() {
        BlockHoundCheck.assertActive();
    }

    @Test
    void blockingCallOnANettyEventLoopFails() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder()
                    .code(200)
                    .body("{\"id\":\"t1\",\"status\":\"running\"}")
                    .build());
            try (CatalogTasksClient client = CatalogTasksClient.builder()
                    .baseUrl(URI.create(server.url("/").toString()))
                    .credentials(Credentials.none())
                    .build()) {
                // The Task is emitted on the event loop that read the response; blocking there must be caught.
                Mono<String> blocking = client.retrieve("z1", "t1").map(task -> {
                    sleepBriefly();
                    return Thread.currentThread().getName();
                });

                StepVerifier.create(blocking)
                        .expectError(BlockingOperationError.class)
                        .verify(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void leakedBufferIsRecorded() {
        leakOneBuffer();

        List<String> ours = List.of();
        for (int i = 0; i < 20 && ours.isEmpty(); i++) {
            ReactiveTestGuard.provokeLeakReports();
            // Only this test's leak is taken; any other stays recorded and fails the run as it should.
            ours = ReactiveTestGuard.takeLeaks(leak -> leak.contains("leakOneBuffer"));
        }

        assertThat(ours).singleElement().asString().startsWith("LEAK of ");
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void leakOneBuffer() {
        ByteBufAllocator.DEFAULT.directBuffer(16).writeLong(42); // never released
    }
}
