package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.TASK;
import static dev.taskwatch.core.Fixtures.ZONE;
import static dev.taskwatch.core.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * A server that echoes our {@code Authorization} header back (an error page quoting the request, a debugging proxy)
 * must not get the secret into exception messages, their causes or the fields users log. See also
 * {@code SecretsLeakTest} in reactor-adapter, which scans every log line at TRACE.
 */
class SecretRedactionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOKEN = "tw-redact-bearer-8c1f";

    @StartStop
    final MockWebServer server = new MockWebServer();

    private Throwable fail(Credentials credentials, MockResponse... responses) {
        for (MockResponse r : responses) {
            server.enqueue(r);
        }
        try (CatalogTasksClient client =
                Fixtures.client(server).credentials(credentials).build()) {
            return catchThrowable(() -> client.retrieve(ZONE, TASK).block(WAIT));
        }
    }

    private static String everything(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        StringBuilder sb = new StringBuilder(trace.toString());
        if (e instanceof CatalogApiException api) {
            sb.append(api.codeValue())
                    .append(api.serverMessage())
                    .append(api.requestId())
                    .append(api.details())
                    .append(api.request());
        }
        return sb.toString();
    }

    @Test
    void errorBodyEchoingTheBearerTokenIsRedactedButKeepsItsStatusAndTransience() {
        Throwable e = fail(
                Credentials.bearer(TOKEN),
                json(
                        500,
                        "{\"code\":\"internal_error\",\"message\":\"you sent Bearer " + TOKEN + "\",\"request_id\":\""
                                + TOKEN + "\",\"details\":[{\"field\":\"" + TOKEN + "\"}]}"));

        assertThat(e).isInstanceOfSatisfying(CatalogApiException.class, api -> {
            assertThat(api.httpStatus()).isEqualTo(500);
            assertThat(api.isTransient()).isTrue();
            assertThat(api.serverMessage()).isEqualTo("you sent Bearer <redacted>");
            assertThat(api.requestId()).isEqualTo("<redacted>");
            assertThat(api.details().get(0).field()).isEqualTo("<redacted>");
        });
        assertThat(everything(e)).doesNotContain(TOKEN);
    }

    @Test
    void taskFieldEchoingTheTokenIsRedactedAndTheParserCauseDropped() {
        Throwable e = fail(
                Credentials.bearer(TOKEN),
                json(200, "{\"id\":\"task-1\",\"status\":\"running\",\"created_at\":\"" + TOKEN + "\"}"));

        assertThat(e)
                .isInstanceOf(CatalogProtocolException.class)
                .hasMessageEndingWith("must be an RFC 3339 timestamp, got \"<redacted>\"")
                .hasNoCause();
        assertThat(((CatalogException) e).isTransient()).isTrue();
        assertThat(everything(e)).doesNotContain(TOKEN);
    }

    @Test
    void rawBodyThatIsTheTokenIsRedactedInTheJacksonMessage() {
        // Letters only, so that Jackson quotes the whole of it as an "unrecognized token".
        Throwable e = fail(Credentials.bearer("twRawToken42"), json(200, "twRawToken42"));

        assertThat(e).isInstanceOf(CatalogProtocolException.class).hasMessageContaining("'<redacted>'");
        assertThat(everything(e)).doesNotContain("twRawToken42");
    }

    @Test
    void tokenEndpointErrorEchoingTheBasicCredentialsIsRedacted() {
        String basic = Base64.getEncoder().encodeToString("tw-id-77:tw-secret-99".getBytes(StandardCharsets.UTF_8));
        Throwable e = fail(
                Credentials.clientCredentials("tw-id-77", "tw-secret-99"),
                json(401, "{\"message\":\"bad Basic " + basic + " = tw-id-77:tw-secret-99\"}"));

        assertThat(e).isInstanceOfSatisfying(CatalogAuthenticationException.class, auth -> {
            assertThat(auth.refusal().httpStatus()).isEqualTo(401);
            assertThat(auth.refusal().request()).endsWith("/service-account-token");
            assertThat(auth.refusal().serverMessage()).isEqualTo("bad Basic <redacted> = <redacted>:<redacted>");
            assertThat(auth.getCause()).isSameAs(auth.refusal());
            assertThat(everything(auth.refusal())).doesNotContain("tw-secret-99", "tw-id-77", basic);
        });
        assertThat(everything(e)).doesNotContain("tw-secret-99", "tw-id-77", basic);
    }

    @Test
    void errorEchoingTheIssuedAccessTokenIsRedacted() {
        Throwable e = fail(
                Credentials.clientCredentials("tw-id-77", "tw-secret-99"),
                json(200, "{\"access_token\":\"tw-access-55\",\"token_type\":\"Bearer\",\"expires_in\":60}"),
                json(403, "{\"message\":\"token tw-access-55 may not read this\"}"));

        assertThat(e)
                .isInstanceOfSatisfying(
                        CatalogApiException.class,
                        api -> assertThat(api.serverMessage()).isEqualTo("token <redacted> may not read this"));
        assertThat(everything(e)).doesNotContain("tw-access-55");
    }

    @Test
    void exceptionWithoutASecretIsPassedThroughUntouched() {
        Throwable e = fail(
                Credentials.bearer(TOKEN),
                json(200, "{\"id\":\"task-1\",\"status\":\"running\",\"created_at\":\"x\"}"));

        assertThat(e).isInstanceOf(CatalogProtocolException.class).hasCauseInstanceOf(Exception.class);
    }
}
