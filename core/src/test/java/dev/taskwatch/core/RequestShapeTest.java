package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** What goes on the wire for a poll: a plain GET, no body and no body framing, headers set per request. */
class RequestShapeTest {

    @StartStop
    final MockWebServer server = new MockWebServer();

    @Test
    void pollIsABodilessGetWithItsOwnHeaders() throws Exception {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder()
                    .code(200)
                    .body("{\"id\":\"t1\",\"status\":\"running\"}")
                    .build());
        }
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(URI.create(server.url("/").toString()))
                .credentials(Credentials.bearer("token-1"))
                .build()) {
            client.retrieve("z1", "t1", "req-1").block(Duration.ofSeconds(10));
            client.retrieve("z1", "t1").block(Duration.ofSeconds(10));
        }

        RecordedRequest first = server.takeRequest();
        assertThat(first.getMethod()).isEqualTo("GET");
        assertThat(first.getHeaders().get("Transfer-Encoding")).isNull();
        assertThat(first.getBodySize()).isZero();
        assertThat(first.getHeaders().get("X-Client-Request-ID")).isEqualTo("req-1");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
        // Headers of one request do not stick to the client.
        assertThat(server.takeRequest().getHeaders().get("X-Client-Request-ID")).isNull();
    }
}
