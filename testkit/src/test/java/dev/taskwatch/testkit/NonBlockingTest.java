package dev.taskwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.testing.BlockHoundCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With BlockHound watching (installed for the whole run by core's test guard, {@code ReactiveTestGuard}), every path through the server runs without a blocking call on its event loops. */
class NonBlockingTest {

    /** The longest a test waits in real time for a signal: a regression fails it instead of hanging the build. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void blockHoundIsWatching() {
        // Without this, the test below could not fail.
        BlockHoundCheck.assertActive();
    }

    @Test
    void everyKindOfAnswerIsServedWithoutBlocking() {
        try (CatalogSimulator sim = CatalogSimulator.builder()
                        .client("client-1", "s3cret")
                        .requireAuthorization(true)
                        .start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.clientCredentials("client-1", "s3cret"))
                        .build()) {
            sim.task("zone-1", "task-1")
                    .notFoundFor(1)
                    .fault(2, Fault.stall(Duration.ofMillis(20)))
                    .fault(3, Fault.reset())
                    .fault(4, Fault.status(503).retryAfter(Duration.ofSeconds(1)))
                    .fault(5, Fault.oversizedBody())
                    .fault(6, Fault.malformedBody())
                    .fault(7, Fault.staleStatus());

            assertThatThrownBy(() -> client.retrieve("zone-1", "task-1").block(WAIT))
                    .isInstanceOf(CatalogApiException.class);
            assertThat(client.retrieve("zone-1", "task-1").block(WAIT).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThatThrownBy(() -> client.retrieve("zone-1", "task-1").block(WAIT))
                    .isInstanceOf(CatalogTransportException.class);
            for (int i = 4; i <= 6; i++) {
                assertThatThrownBy(() -> client.retrieve("zone-1", "task-1").block(WAIT))
                        .isNotInstanceOf(CatalogTransportException.class);
            }
            assertThat(client.retrieve("zone-1", "task-1").block(WAIT).status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(client.retrieve("zone-1", "task-1").block(WAIT).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(sim.tokensIssued()).isEqualTo(1);
        }
    }
}
