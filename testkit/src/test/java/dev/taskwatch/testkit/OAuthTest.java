package dev.taskwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogAuthenticationException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.ErrorCode;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OAuth2 client-credentials endpoint and the optional bearer requirement on task requests. */
class OAuthTest {

    final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    final CatalogSimulator sim = CatalogSimulator.builder()
            .clock(clock)
            .client("client-1", "s3cret")
            .apiKey("static-key")
            .tokenLifetime(Duration.ofMinutes(5))
            .requireAuthorization(true)
            .start();

    @AfterEach
    void close() {
        sim.close();
    }

    CatalogTasksClient client(Credentials credentials) {
        return CatalogTasksClient.builder()
                .baseUrl(sim.baseUrl())
                .credentials(credentials)
                .build();
    }

    Task retrieve(CatalogTasksClient client) {
        return client.retrieve("zone-1", "task-1").block(Duration.ofSeconds(10));
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void issuesATokenThatTaskRequestsCarry() {
        sim.task("zone-1", "task-1").running(Duration.ofMinutes(1));

        try (CatalogTasksClient client = client(Credentials.clientCredentials("client-1", "s3cret"))) {
            assertThat(retrieve(client).status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(retrieve(client).status()).isEqualTo(TaskStatus.RUNNING);
        }

        assertThat(sim.tokensIssued()).isEqualTo(1);
        assertThat(sim.requests()).first().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri()).isEqualTo("/service-account-token");
            assertThat(r.header("authorization")).isEqualTo(basic("client-1", "s3cret"));
            assertThat(r.header("content-type")).startsWith("application/x-www-form-urlencoded");
            assertThat(r.status()).isEqualTo(200);
        });
        assertThat(sim.requests("zone-1", "task-1"))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.header("authorization")).startsWith("Bearer sim-"));
    }

    @Test
    void tokenResponseHasTheOAuthShape() {
        Raw raw = Raw.exchange(
                sim.baseUrl(),
                "POST",
                "/service-account-token",
                h -> h.set("Authorization", basic("client-1", "s3cret"))
                        .set("Content-Type", "application/x-www-form-urlencoded"),
                "grant_type=client_credentials");

        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(raw.body())
                .matches("\\{\"access_token\":\"sim-[0-9a-f]+\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

    @Test
    void wrongSecretIsRefusedWith401() {
        try (CatalogTasksClient client = client(Credentials.clientCredentials("client-1", "wrong"))) {
            assertThatThrownBy(() -> retrieve(client))
                    .isInstanceOfSatisfying(CatalogAuthenticationException.class, auth -> {
                        CatalogApiException e = auth.refusal();
                        assertThat(e.httpStatus()).isEqualTo(401);
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                        assertThat(e.request()).contains("/service-account-token");
                    });
        }
        assertThat(sim.tokensIssued()).isZero();
    }

    @Test
    void unsupportedGrantTypeIs400() {
        Raw raw = Raw.exchange(
                sim.baseUrl(),
                "POST",
                "/service-account-token",
                h -> h.set("Authorization", basic("client-1", "s3cret")),
                "grant_type=password");

        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.body()).contains("\"error\":\"unsupported_grant_type\"").contains("\"code\":\"bad_request\"");
    }

    @Test
    void tokenEndpointOnlyTakesPost() {
        Raw raw = Raw.get(sim.baseUrl(), "/service-account-token");

        assertThat(raw.status()).isEqualTo(405);
        assertThat(raw.headers().get("Allow")).isEqualTo("POST");
    }

    @Test
    void taskRequestWithoutATokenIs401WhenRequired() {
        sim.task("zone-1", "task-1");

        try (CatalogTasksClient client = client(Credentials.none())) {
            assertThatThrownBy(() -> retrieve(client)).isInstanceOfSatisfying(CatalogApiException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            });
        }
        assertThat(sim.task("zone-1", "task-1").requestCount()).isZero();
        Raw raw = Raw.get(sim.baseUrl(), "/zones/zone-1/catalog_tasks/task-1");
        assertThat(raw.headers().get("WWW-Authenticate")).startsWith("Bearer");
        assertThat(raw.body()).contains("\"status\":401").contains("\"details\":[]");
    }

    @Test
    void unknownBearerIs401AndApiKeyIsAccepted() {
        sim.task("zone-1", "task-1").running(Duration.ofMinutes(1));

        try (CatalogTasksClient client = client(Credentials.bearer("made-up"))) {
            assertThatThrownBy(() -> retrieve(client)).isInstanceOf(CatalogApiException.class);
        }
        try (CatalogTasksClient client = client(Credentials.bearer("static-key"))) {
            assertThat(retrieve(client).status()).isEqualTo(TaskStatus.RUNNING);
        }
    }

    @Test
    void expiredTokenIsRefusedAndTheClientFetchesANewOne() {
        sim.task("zone-1", "task-1").running(Duration.ofHours(1));

        try (CatalogTasksClient client = client(Credentials.clientCredentials("client-1", "s3cret"))) {
            retrieve(client);
            // The simulator's clock passes the token's expiry; the client's own clock does not, so it sends the
            // cached token, gets 401, drops it and retries once with a fresh one.
            clock.advance(Duration.ofMinutes(5));
            assertThat(retrieve(client).status()).isEqualTo(TaskStatus.RUNNING);
        }

        assertThat(sim.tokensIssued()).isEqualTo(2);
        assertThat(sim.requests("zone-1", "task-1"))
                .extracting(RecordedRequest::status)
                .containsExactly(200, 401, 200);
    }

    @Test
    void revokedTokensAreRefused() {
        sim.task("zone-1", "task-1").running(Duration.ofHours(1));
        try (CatalogTasksClient client = client(Credentials.clientCredentials("client-1", "s3cret"))) {
            retrieve(client);
            sim.revokeTokens();
            retrieve(client);
        }
        assertThat(sim.tokensIssued()).isEqualTo(2);
    }

    @Test
    void formEncodedCredentialsAreDecoded() {
        try (CatalogSimulator open = CatalogSimulator.builder()
                        .client("id with:colon", "p@ss w&rd")
                        .requireAuthorization(true)
                        .start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(open.baseUrl())
                        .credentials(Credentials.clientCredentials("id with:colon", "p@ss w&rd"))
                        .build()) {
            open.task("zone-1", "task-1");
            assertThat(client.retrieve("zone-1", "task-1")
                            .block(Duration.ofSeconds(10))
                            .status())
                    .isEqualTo(TaskStatus.COMPLETED);
            assertThat(open.tokensIssued()).isEqualTo(1);
        }
    }

    @Test
    void withoutRegisteredClientsAnyNonEmptyCredentialsGetAToken() {
        try (CatalogSimulator open = CatalogSimulator.start()) {
            Raw raw = Raw.exchange(
                    open.baseUrl(),
                    "POST",
                    "/service-account-token",
                    h -> h.set("Authorization", basic("anyone", "anything")),
                    "grant_type=client_credentials");
            assertThat(raw.status()).isEqualTo(200);
            assertThat(raw.body()).contains("\"expires_in\":3600");
        }
    }
}
