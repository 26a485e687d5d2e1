package dev.taskwatch.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import java.net.URI;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class TaskRequestsTest {

    @Test
    void builtClientNamesItsRequestsUnderTheBaseUrlsPath() {
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(URI.create("https://api.example.test/v1/"))
                .credentials(Credentials.none())
                .build()) {
            assertThat(TaskRequests.line(client, "z1", "t1")).isEqualTo("GET /v1/zones/z1/catalog_tasks/t1");
        }
    }

    @Test
    void builtClientWithoutABasePathNamesTheBarePath() {
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(URI.create("https://api.example.test"))
                .credentials(Credentials.none())
                .build()) {
            assertThat(TaskRequests.line(client, "z1", "t1")).isEqualTo("GET /zones/z1/catalog_tasks/t1");
        }
    }

    @Test
    void clientThatKnowsNoBaseUrlNamesTheBarePath() {
        CatalogTasksClient scripted = (zoneId, taskId, clientRequestId) -> Mono.empty();

        assertThat(TaskRequests.line(scripted, "z1", "t1")).isEqualTo("GET /zones/z1/catalog_tasks/t1");
    }
}
