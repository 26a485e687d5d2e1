package dev.taskwatch.integration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.testkit.CatalogSimulator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pool check the leak tests rely on passes for a free pool and fails when a connection is missing. */
class ConnectionPoolCheckTest {

    @Test
    void passesWhenEveryConnectionIsFreeAndFailsWhenOneIsMissing() {
        try (CatalogSimulator sim = CatalogSimulator.builder().recordRequests(0).start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        .maxConnections(3)
                        .build()) {
            ConnectionPoolCheck.assertEveryConnectionFree(sim, client, 3);

            // A pool with one connection fewer than the check expects: what a connection still lent out looks like.
            assertThatThrownBy(
                            () -> ConnectionPoolCheck.assertEveryConnectionFree(sim, client, 4, Duration.ofSeconds(2)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("only 3 of the client's 4 connections");
        }
    }
}
