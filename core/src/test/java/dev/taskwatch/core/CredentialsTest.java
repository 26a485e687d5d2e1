package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.TASK;
import static dev.taskwatch.core.Fixtures.TASK_PATH;
import static dev.taskwatch.core.Fixtures.ZONE;
import static dev.taskwatch.core.Fixtures.json;
import static dev.taskwatch.core.Fixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskwatch.core.testing.LogSafety;
import dev.taskwatch.core.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class CredentialsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String API_KEY = "kc_live_SECRET-api-key-0123456789";
    private static final String CLIENT_ID = "svc:deployer";
    private static final String CLIENT_SECRET = "p@ss word&SECRET";
    private static final String TOKEN_1 = "at-SECRET-one";
    private static final String TOKEN_2 = "at-SECRET-two";

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final Router router = new Router();
    private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T10:00:00Z"));
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
    }

    private CatalogTasksClient client(Credentials credentials) {
        server.setDispatcher(router);
        CatalogTasksClient client =
                Fixtures.client(server).credentials(credentials).clock(clock).build();
        clients.add(client);
        return client;
    }

    private CatalogTasksClient oauth() {
        return client(Credentials.clientCredentials(CLIENT_ID, CLIENT_SECRET));
    }

    private static MockResponse token(String value, long expiresIn) {
        return json(
                200, "{\"access_token\":\"" + value + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
    }

    // ---------------------------------------------------------------- what is sent

    @Test
    void noneSendsNoAuthorization() throws InterruptedException {
        client(Credentials.none()).retrieve(ZONE, TASK).block(WAIT);

        assertThat(server.takeRequest().getHeaders().values("Authorization")).isEmpty();
    }

    @Test
    void bearerIsSentAsAuthorization() throws InterruptedException {
        client(Credentials.bearer(API_KEY)).retrieve(ZONE, TASK).block(WAIT);

        assertThat(server.takeRequest().getHeaders().values("Authorization")).containsExactly("Bearer " + API_KEY);
    }

    @Test
    void tokenRequestUsesBasicAuthAndAFormBody() throws InterruptedException {
        router.tokens.add(token(TOKEN_1, 3600));

        oauth().retrieve(ZONE, TASK).block(WAIT);

        RecordedRequest tokenRequest = server.takeRequest();
        assertThat(tokenRequest.getMethod()).isEqualTo("POST");
        assertThat(tokenRequest.getTarget()).isEqualTo("/service-account-token");
        // RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding.
        String basic = Base64.getEncoder()
                .encodeToString("svc%3Adeployer:p%40ss+word%26SECRET".getBytes(StandardCharsets.UTF_8));
        assertThat(tokenRequest.getHeaders().get("Authorization")).isEqualTo("Basic " + basic);
        assertThat(tokenRequest.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(tokenRequest.getBody().utf8()).isEqualTo("grant_type=client_credentials");
        RecordedRequest taskRequest = server.takeRequest();
        assertThat(taskRequest.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN_1);
    }

    @Test
    void tokenEndpointKeepsTheBaseUrlPathPrefix() throws InterruptedException {
        router.tokens.add(token(TOKEN_1, 3600));
        server.setDispatcher(router);
        try (CatalogTasksClient prefixed = Fixtures.client(server)
                .baseUrl(Fixtures.baseUrl(server).resolve("/api/"))
                .credentials(Credentials.clientCredentials(CLIENT_ID, CLIENT_SECRET))
                .build()) {
            prefixed.retrieve(ZONE, TASK).block(WAIT);
        }

        assertThat(server.takeRequest().getTarget()).isEqualTo("/api/service-account-token");
    }

    // ---------------------------------------------------------------- OAuth2 token lifecycle

    @Test
    void tokenIsFetchedOnSubscriptionNotBefore() throws InterruptedException {
        router.tokens.add(token(TOKEN_1, 3600));

        Mono<Task> lazy = oauth().retrieve(ZONE, TASK);
        // A round trip from another client as a fence: a token fetched on assembly would reach the server first.
        try (CatalogTasksClient fence = Fixtures.client(server).build()) {
            fence.retrieve(ZONE, TASK).block(WAIT);
        }
        assertThat(router.tokenRequests()).isZero();

        lazy.block(WAIT);
        assertThat(router.tokenRequests()).isEqualTo(1);
        assertThat(List.of(server.takeRequest(), server.takeRequest(), server.takeRequest()))
                .extracting(RecordedRequest::getTarget)
                .containsExactly(TASK_PATH, "/service-account-token", TASK_PATH);
    }

    @Test
    void oneTokenIsFetchedForTwentyConcurrentRequests() {
        // The token answer is held back so that all twenty requests wait for the same one.
        router.tokens.add(token(TOKEN_1, 3600)
                .newBuilder()
                .headersDelay(200, TimeUnit.MILLISECONDS)
                .build());
        CatalogTasksClient client = oauth();

        List<Task> tasks = Flux.range(0, 20)
                .flatMap(i -> client.retrieve(ZONE, TASK))
                .collectList()
                .block(WAIT);

        assertThat(tasks).hasSize(20);
        assertThat(router.tokenRequests()).isEqualTo(1);
        assertThat(router.taskAuthorizations()).hasSize(20).containsOnly("Bearer " + TOKEN_1);
    }

    @Test
    void cachedTokenIsReusedAndRefreshedShortlyBeforeExpiry() {
        router.tokens.add(token(TOKEN_1, 3600));
        router.tokens.add(token(TOKEN_2, 3600));
        CatalogTasksClient client = oauth();

        client.retrieve(ZONE, TASK).block(WAIT);
        clock.advance(Duration.ofSeconds(3500));
        client.retrieve(ZONE, TASK).block(WAIT);
        assertThat(router.tokenRequests()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(80)); // 3580 s: inside the last 30 s of the token's life
        client.retrieve(ZONE, TASK).block(WAIT);
        client.retrieve(ZONE, TASK).block(WAIT);

        assertThat(router.tokenRequests()).isEqualTo(2);
        assertThat(router.taskAuthorizations())
                .containsExactly("Bearer " + TOKEN_1, "Bearer " + TOKEN_1, "Bearer " + TOKEN_2, "Bearer " + TOKEN_2);
    }

    @Test
    void shortLivedTokenIsRefreshedHalfWayThroughItsLife() {
        router.tokens.add(token(TOKEN_1, 10));
        router.tokens.add(token(TOKEN_2, 10));
        CatalogTasksClient client = oauth();

        client.retrieve(ZONE, TASK).block(WAIT);
        clock.advance(Duration.ofSeconds(4));
        client.retrieve(ZONE, TASK).block(WAIT);
        clock.advance(Duration.ofSeconds(1));
        client.retrieve(ZONE, TASK).block(WAIT);

        assertThat(router.taskAuthorizations())
                .containsExactly("Bearer " + TOKEN_1, "Bearer " + TOKEN_1, "Bearer " + TOKEN_2);
    }

    @Test
    void http401WithACachedTokenDropsItAndRetriesOnce() {
        router.tokens.add(token(TOKEN_1, 3600));
        router.tokens.add(token(TOKEN_2, 3600));
        router.task = r -> ("Bearer " + TOKEN_1).equals(r.getHeaders().get("Authorization"))
                ? json(401, "{\"code\":\"unauthorized\",\"message\":\"token revoked\"}")
                : ok("running");
        CatalogTasksClient client = oauth();

        assertThat(client.retrieve(ZONE, TASK).block(WAIT).status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(client.retrieve(ZONE, TASK).block(WAIT).status()).isEqualTo(TaskStatus.RUNNING);

        assertThat(router.tokenRequests()).isEqualTo(2);
        assertThat(router.taskAuthorizations())
                .containsExactly("Bearer " + TOKEN_1, "Bearer " + TOKEN_2, "Bearer " + TOKEN_2);
    }

    @Test
    void concurrentRefusalsShareOneNewToken() {
        router.tokens.add(token(TOKEN_1, 3600));
        router.tokens.add(token(TOKEN_2, 3600));
        CatalogTasksClient client = oauth();
        client.retrieve(ZONE, TASK).block(WAIT); // caches TOKEN_1
        // Refusals are held back until three requests carry the refused token, so that several are in flight with
        // it at once (MockWebServer answers each connection on its own thread: holding one holds no other).
        CountDownLatch refusedInFlight = new CountDownLatch(3);
        router.task = r -> {
            if (!("Bearer " + TOKEN_1).equals(r.getHeaders().get("Authorization"))) {
                return ok("running");
            }
            refusedInFlight.countDown();
            try {
                refusedInFlight.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return json(401, "{\"code\":\"unauthorized\"}");
        };

        List<Task> tasks = Flux.range(0, 20)
                .flatMap(i -> client.retrieve(ZONE, TASK))
                .collectList()
                .block(WAIT);

        assertThat(tasks).hasSize(20);
        assertThat(router.tokenRequests()).isEqualTo(2);
        List<String> sent = router.taskAuthorizations();
        assertThat(sent).filteredOn(("Bearer " + TOKEN_2)::equals).hasSize(20);
        assertThat(sent).filteredOn(("Bearer " + TOKEN_1)::equals).hasSizeGreaterThan(2);
    }

    @Test
    void secondHttp401EndsWithTheApiException() {
        router.tokens.add(token(TOKEN_1, 3600));
        router.tokens.add(token(TOKEN_2, 3600));
        router.task = r -> json(401, "{\"code\":\"unauthorized\",\"message\":\"nope\"}");

        Throwable e = catchThrowable(() -> oauth().retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.httpStatus()).isEqualTo(401);
            assertThat(api.isTransient()).isFalse();
        });
        assertThat(router.tokenRequests()).isEqualTo(2);
        assertThat(router.taskAuthorizations()).hasSize(2);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void http401WithABearerTokenIsNotRetried() {
        router.task = r -> json(401, "{\"code\":\"unauthorized\"}");

        Throwable e = catchThrowable(
                () -> client(Credentials.bearer(API_KEY)).retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOf(CatalogApiException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void tokenEndpointFailureIsATypedErrorAndIsNotCached() {
        router.tokens.add(json(503, "{\"code\":\"service_unavailable\",\"message\":\"try later\"}")
                .newBuilder()
                .setHeader("Retry-After", "2")
                .build());
        router.tokens.add(token(TOKEN_1, 3600));
        CatalogTasksClient client = oauth();

        Throwable e = catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.request()).isEqualTo("POST /service-account-token");
            assertThat(api.httpStatus()).isEqualTo(503);
            assertThat(api.isTransient()).isTrue();
            assertThat(api.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        });
        assertThat(router.taskAuthorizations()).isEmpty();

        assertThat(client.retrieve(ZONE, TASK).block(WAIT).id()).isEqualTo(TASK);
        assertThat(router.tokenRequests()).isEqualTo(2);
    }

    @Test
    void refusedClientCredentialsAreNotRetried() {
        router.tokens.add(json(401, "{\"code\":\"unauthorized\",\"message\":\"bad client\"}"));

        Throwable e = catchThrowable(() -> oauth().retrieve(ZONE, TASK).block(WAIT));

        assertTokenEndpointRefusal(e, 401);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void refusalWithAnOversizedBodyKeepsItsStatus() {
        router.tokens.add(json(403, "x".repeat(2 * 1024 * 1024)));

        Throwable e = catchThrowable(() -> oauth().retrieve(ZONE, TASK).block(WAIT));

        assertTokenEndpointRefusal(e, 403);
    }

    @Test
    void tokenEndpointNotFoundIsAFatalAuthenticationFailureNotATaskNotFound() {
        // A wrong base URL (or a proxy without the route): the API never saw the task, so this is no "not visible yet".
        router.tokens.add(json(404, "{\"code\":\"not_found\",\"message\":\"no such route\"}"));

        Throwable e = catchThrowable(() -> oauth().retrieve(ZONE, TASK).block(WAIT));

        assertTokenEndpointRefusal(e, 404);
        assertThat(e)
                .hasMessage("authentication failed at the token endpoint: POST /service-account-token → 404"
                        + " not_found: no such route");
        assertThat(router.tokenRequests()).isEqualTo(1);
        assertThat(router.taskAuthorizations()).isEmpty();
    }

    @Test
    void tokenEndpointBadRequestIsAFatalAuthenticationFailure() {
        router.tokens.add(json(400, "{\"code\":\"bad_request\",\"message\":\"invalid_client\"}"));

        assertTokenEndpointRefusal(
                catchThrowable(() -> oauth().retrieve(ZONE, TASK).block(WAIT)), 400);
    }

    @Test
    void tokenEndpointThrottlingStaysTransient() {
        router.tokens.add(json(429, "{\"code\":\"rate_limit_exceeded\"}"));

        Throwable e = catchThrowable(() -> oauth().retrieve(ZONE, TASK).block(WAIT));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.httpStatus()).isEqualTo(429);
            assertThat(api.isTransient()).isTrue();
        });
    }

    /**
     * A definite answer from the token endpoint: not transient, not a CatalogApiException a watcher could take for the
     * task's own status, a message naming the token endpoint, and the endpoint's answer as the cause.
     */
    private static void assertTokenEndpointRefusal(Throwable e, int status) {
        assertThat(e).isInstanceOf(CatalogException.class).isNotInstanceOf(CatalogApiException.class);
        assertThat(((CatalogException) e).isTransient()).isFalse();
        assertThat(e).hasMessageContaining("token endpoint").hasMessageContaining("POST /service-account-token");
        assertThat(e.getCause()).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.request()).isEqualTo("POST /service-account-token");
            assertThat(api.httpStatus()).isEqualTo(status);
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"token_type\":\"Bearer\"}",
                "{\"access_token\":42}",
                "{\"access_token\":\"\"}",
                "{\"access_token\":\"at-SECRET\\nInjected: 1\"}",
                "{\"access_token\":\"at-SECRET-x\",\"token_type\":\"mac\"}",
                "[]",
                "not json"
            })
    void unusableTokenResponseIsAProtocolError(String body) {
        router.tokens.add(json(200, body));

        Throwable e = catchThrowable(() -> oauth().retrieve(ZONE, TASK).block(WAIT));

        assertThat(e)
                .isInstanceOf(CatalogProtocolException.class)
                .hasMessageStartingWith("POST /service-account-token");
        assertThat(LogSafety.everyMessage(e)).doesNotContain("at-SECRET");
        assertThat(router.taskAuthorizations()).isEmpty();
    }

    // ---------------------------------------------------------------- secrets stay secret

    @Test
    void secretsAppearInNoMessageOrToString() {
        List<String> seen = new ArrayList<>();
        Credentials bearer = Credentials.bearer(API_KEY);
        Credentials oauth = Credentials.clientCredentials(CLIENT_ID, CLIENT_SECRET);
        seen.add(bearer.toString());
        seen.add(oauth.toString());

        // Bearer: refused, failing server, dropped connection, stalled response.
        CatalogTasksClient bearerClient = client(bearer);
        seen.add(bearerClient.toString());
        router.task = r -> json(401, "{\"code\":\"unauthorized\",\"message\":\"invalid api key\"}");
        seen.add(LogSafety.everyMessage(
                catchThrowable(() -> bearerClient.retrieve(ZONE, TASK).block(WAIT))));
        router.task = r ->
                new MockResponse.Builder().code(500).body("<html>boom</html>").build();
        seen.add(LogSafety.everyMessage(
                catchThrowable(() -> bearerClient.retrieve(ZONE, TASK).block(WAIT))));
        router.task = r -> new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket())
                .build();
        seen.add(LogSafety.everyMessage(
                catchThrowable(() -> bearerClient.retrieve(ZONE, TASK).block(WAIT))));
        router.task = r -> new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build();
        try (CatalogTasksClient impatient = Fixtures.client(server)
                .credentials(bearer)
                .responseTimeout(Duration.ofMillis(100))
                .build()) {
            seen.add(impatient.toString());
            seen.add(LogSafety.everyMessage(
                    catchThrowable(() -> impatient.retrieve(ZONE, TASK).block(WAIT))));
        }

        // OAuth2: token refused, token twice refused by the API, unusable token.
        CatalogTasksClient oauthClient = client(oauth);
        seen.add(oauthClient.toString());
        router.tokens.add(json(401, "{\"code\":\"unauthorized\",\"message\":\"bad client\"}"));
        seen.add(LogSafety.everyMessage(
                catchThrowable(() -> oauthClient.retrieve(ZONE, TASK).block(WAIT))));
        router.tokens.add(token(TOKEN_1, 3600));
        router.tokens.add(token(TOKEN_2, 3600));
        router.task = r -> json(401, "{\"code\":\"unauthorized\"}");
        seen.add(LogSafety.everyMessage(
                catchThrowable(() -> oauthClient.retrieve(ZONE, TASK).block(WAIT))));
        router.tokens.add(json(200, "{\"access_token\":\"" + TOKEN_1 + "\\u0000\"}"));
        seen.add(LogSafety.everyMessage(
                catchThrowable(() -> oauthClient.retrieve(ZONE, TASK).block(WAIT))));

        // Invalid secrets given to the factories.
        seen.add(LogSafety.everyMessage(catchThrowable(() -> Credentials.bearer(API_KEY + "\n"))));
        seen.add(LogSafety.everyMessage(
                catchThrowable(() -> Credentials.clientCredentials(CLIENT_ID, CLIENT_SECRET + "\r"))));
        seen.add(LogSafety.everyMessage(
                catchThrowable(() -> Credentials.fromEnvironment(Map.of("KEYCARD_API_CLIENT_SECRET", CLIENT_SECRET)))));

        String basic = Base64.getEncoder()
                .encodeToString("svc%3Adeployer:p%40ss+word%26SECRET".getBytes(StandardCharsets.UTF_8));
        assertThat(seen)
                .hasSize(15)
                .allSatisfy(text -> assertThat(text)
                        .isNotBlank()
                        .doesNotContain(API_KEY, CLIENT_ID, CLIENT_SECRET, TOKEN_1, TOKEN_2, basic, "at-SECRET"));
    }

    @Test
    void toStringNamesTheKindOnly() {
        assertThat(Credentials.none()).hasToString("Credentials.none()");
        assertThat(Credentials.bearer(API_KEY)).hasToString("Credentials.bearer(<redacted>)");
        assertThat(Credentials.clientCredentials(CLIENT_ID, CLIENT_SECRET))
                .hasToString("Credentials.clientCredentials(<redacted>)");
    }

    // ---------------------------------------------------------------- factories

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "tok\nen", "tok\ren", "tök", "tok\u0000"})
    void unusableSecretsAreRejected(String value) {
        assertThatThrownBy(() -> Credentials.bearer(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("token ");
        assertThatThrownBy(() -> Credentials.clientCredentials(value, "secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clientId ");
        assertThatThrownBy(() -> Credentials.clientCredentials("id", value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clientSecret ");
    }

    @Test
    void fromEnvironmentPrefersTheApiKey() {
        Credentials credentials = Credentials.fromEnvironment(Map.of(
                "KEYCARD_API_API_KEY", API_KEY,
                "KEYCARD_API_CLIENT_ID", CLIENT_ID,
                "KEYCARD_API_CLIENT_SECRET", CLIENT_SECRET));

        assertThat(credentials)
                .isInstanceOfSatisfying(
                        BearerCredentials.class, b -> assertThat(b.token()).isEqualTo(API_KEY));
    }

    @Test
    void fromEnvironmentReadsClientCredentials() {
        Credentials credentials = Credentials.fromEnvironment(Map.of(
                "KEYCARD_API_API_KEY", "",
                "KEYCARD_API_CLIENT_ID", CLIENT_ID,
                "KEYCARD_API_CLIENT_SECRET", CLIENT_SECRET));

        assertThat(credentials).isInstanceOfSatisfying(ClientCredentials.class, c -> {
            assertThat(c.clientId()).isEqualTo(CLIENT_ID);
            assertThat(c.clientSecret()).isEqualTo(CLIENT_SECRET);
        });
    }

    @Test
    void fromAnEmptyEnvironmentIsNone() {
        assertThat(Credentials.fromEnvironment(Map.of())).isSameAs(Credentials.none());
        assertThat(Credentials.fromEnvironment(Map.of("KEYCARD_API_CLIENT_ID", "", "KEYCARD_API_CLIENT_SECRET", "")))
                .isSameAs(Credentials.none());
    }

    @Test
    void fromEnvironmentRefusesHalfAClientCredential() {
        assertThatThrownBy(() -> Credentials.fromEnvironment(Map.of("KEYCARD_API_CLIENT_ID", CLIENT_ID)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only KEYCARD_API_CLIENT_ID is set");
        assertThatThrownBy(() -> Credentials.fromEnvironment(Map.of("KEYCARD_API_CLIENT_SECRET", CLIENT_SECRET)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only KEYCARD_API_CLIENT_SECRET is set");
    }

    /** Answers token requests from a queue and task requests with a function, counting both. */
    static final class Router extends Dispatcher {
        final BlockingQueue<MockResponse> tokens = new LinkedBlockingQueue<>();
        final List<String> taskAuthorizations = new ArrayList<>();
        volatile Function<RecordedRequest, MockResponse> task = r -> ok("running");
        private int tokenRequests;

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (request.getTarget().endsWith("/service-account-token")) {
                synchronized (this) {
                    tokenRequests++;
                }
                MockResponse next = tokens.poll();
                return next != null ? next : json(500, "{\"message\":\"no token scripted\"}");
            }
            synchronized (this) {
                taskAuthorizations.add(request.getHeaders().get("Authorization"));
            }
            return task.apply(request);
        }

        synchronized int tokenRequests() {
            return tokenRequests;
        }

        synchronized List<String> taskAuthorizations() {
            return new ArrayList<>(taskAuthorizations);
        }
    }
}
