package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class PoolStatsTest {

    @StartStop
    final MockWebServer server = new MockWebServer();

    @Test
    void finishedExchangeReturnsItsConnectionToThePool() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("{\"id\":\"t1\",\"status\":\"running\"}")
                .build());
        try (NettyCatalogTasksClient client = (NettyCatalogTasksClient) CatalogTasksClient.builder()
                .baseUrl(URI.create(server.url("/").toString()))
                .credentials(Credentials.none())
                .build()) {
            client.retrieve("z1", "t1").block(Duration.ofSeconds(10));

            // The connection goes back on its event loop just after the response is handed over: wait for that.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (client.poolStats().acquired() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
            }
            NettyCatalogTasksClient.PoolStats stats = client.poolStats();
            assertThat(stats.acquired()).isZero();
            assertThat(stats.pending()).isZero();
            assertThat(stats.idle()).isEqualTo(1);
        }
    }
}
