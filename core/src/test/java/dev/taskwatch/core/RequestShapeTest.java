package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

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
        assertThat(first.getHeaders().get("Content-Length")).isNull();
        assertThat(first.getBodySize()).isZero();
        assertThat(first.getHeaders().get("X-Client-Request-ID")).isEqualTo("req-1");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
        // Headers of one request do not stick to the client.
        assertThat(server.takeRequest().getHeaders().get("X-Client-Request-ID")).isNull();
    }

    @Test
    void pollSendsWhatABareReactorNettyGetSendsPlusOurHeaders() throws Exception {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder()
                    .code(200)
                    .body("{\"id\":\"t1\",\"status\":\"running\"}")
                    .build());
        }
        ConnectionProvider provider = ConnectionProvider.create("bare", 1);
        try {
            HttpClient.create(provider)
                    .get()
                    .uri(server.url("/zones/z1/catalog_tasks/t1").toString())
                    .responseContent()
                    .aggregate()
                    .asString()
                    .block(Duration.ofSeconds(10));
        } finally {
            provider.disposeLater().block(Duration.ofSeconds(10));
        }
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(URI.create(server.url("/").toString()))
                .credentials(Credentials.bearer("token-1"))
                .build()) {
            client.retrieve("z1", "t1", "req-1").block(Duration.ofSeconds(10));
        }

        RecordedRequest bare = server.takeRequest();
        RecordedRequest ours = server.takeRequest();
        assertThat(ours.getRequestLine()).isEqualTo(bare.getRequestLine());
        assertThat(ours.getHeaders().get("Host")).isEqualTo(bare.getHeaders().get("Host"));
        assertThat(ours.getBodySize()).isEqualTo(bare.getBodySize()).isZero();
        Set<String> extra = names(ours);
        extra.removeAll(names(bare));
        assertThat(extra).containsExactlyInAnyOrder("authorization", "x-client-request-id");
        assertThat(names(bare)).isSubsetOf(names(ours));
    }

    private static Set<String> names(RecordedRequest request) {
        Set<String> names = new TreeSet<>();
        request.getHeaders().names().forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        return names;
    }
}
