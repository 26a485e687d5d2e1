package dev.taskwatch.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6, secrets: a bearer token, a client id and secret, and an access token issued by the token endpoint, each a
 * unique marker, never appear in anything a user could see or log while the client and the watcher fail — even when
 * the server echoes the {@code Authorization} header back in error bodies, Task fields, request ids and details.
 *
 * <p>How all logs are captured: the scenarios ({@link SecretScenarios}) run in a child JVM started by this test with
 * slf4j-simple's {@code defaultLogLevel=trace}, so every logger (ours, Reactor's, Reactor Netty's, Netty's) logs at
 * every level, and the child's whole stdout and stderr are scanned. A child JVM rather than a
 * {@code simplelogger.properties} in test resources: that file would turn TRACE on for every test of the module, and
 * slf4j-simple reads its configuration once per JVM, so a per-class switch in the shared surefire JVM would be too late
 * for loggers already created. MockWebServer runs here, in the parent, so its own logging is not what is scanned.
 *
 * <p>Reactor Netty's wiretap is not reachable through taskwatch's public API (the Reactor Netty {@code HttpClient} is
 * internal and has no customizer hook), so a user cannot turn it on for our client. Were it turned on (a fork, a
 * Netty-wide LoggingHandler), Netty would dump the raw request bytes, {@code Authorization} header included, at DEBUG:
 * that is what wiretap is for, and it is out of our hands.
 */
class SecretsLeakTest {

    private static final String BEARER = "twBEARERmarkerA71c2";
    private static final String CLIENT_ID = "twCLIENTIDmarkerB3f";
    private static final String CLIENT_SECRET = "twSECRETmarkerC93a";
    private static final String ACCESS_TOKEN = "twACCESSmarkerD5e0";
    private static final String BASIC =
            Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final AtomicInteger echoed = new AtomicInteger();

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void noSecretInAnyLogLineExceptionOrToStringDuringFailures() throws Exception {
        server.setDispatcher(new EchoDispatcher());
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }

        ChildJvm.Result child = ChildJvm.run(
                SecretScenarios.class,
                List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", "-Dio.netty.leakDetection.level=paranoid"),
                List.of(
                        server.url("/").toString(),
                        BEARER,
                        CLIENT_ID,
                        CLIENT_SECRET,
                        "http://127.0.0.1:" + closedPort + "/"),
                Path.of("target", "secrets-scan.log"));
        String output = child.output();
        Path out = child.file();

        assertThat(child.exitCode()).as("child exit code; output in " + out).isZero();
        // The scan can only pass for the right reason if the secrets were in play: sent by the client, echoed back.
        assertThat(echoed.get()).as("responses that echoed a secret").isGreaterThan(10);

        Map<String, Integer> lines = countLines(output);
        assertThat(lines.get("TRACE"))
                .as("TRACE lines: logging really ran at TRACE")
                .isPositive();
        for (String marker : List.of(BEARER, CLIENT_ID, CLIENT_SECRET, ACCESS_TOKEN, BASIC)) {
            assertThat(output).as("output in " + out).doesNotContain(marker);
        }
        System.out.println("Secrets scan: " + output.length() + " chars, " + lines + ", " + exceptionsLine(output)
                + ", " + echoed.get() + " responses echoing a secret; markers found: 0");
    }

    private static String exceptionsLine(String output) {
        int at = output.lastIndexOf("SCANNED ");
        return at < 0 ? "no SCANNED line" : output.substring(at, output.indexOf('\n', at));
    }

    private static Map<String, Integer> countLines(String output) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String level : List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR")) {
            counts.put(level, 0);
        }
        int total = 0;
        for (String line : output.split("\n")) {
            total++;
            for (String level : counts.keySet()) {
                if (line.contains("] " + level + " ")) {
                    counts.merge(level, 1, Integer::sum);
                }
            }
        }
        counts.put("lines", total);
        return counts;
    }

    /** Answers by scenario (the first path segment), echoing the Authorization header wherever it can. */
    private final class EchoDispatcher extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            String scenario = path.split("/")[1];
            String auth = String.valueOf(request.getHeaders().get("Authorization"));
            if (auth.contains(BEARER) || auth.contains(BASIC) || auth.contains(ACCESS_TOKEN)) {
                echoed.incrementAndGet();
            }
            String echo = json(auth) + " (secret " + json(auth.substring(auth.indexOf(' ') + 1)) + ", decoded "
                    + json(decoded(auth)) + ")";
            if (path.endsWith("/service-account-token")) {
                if (scenario.startsWith("cc-token-401") || scenario.startsWith("watch-cc-token-401")) {
                    return error(401, echo);
                }
                if (scenario.startsWith("cc-token-500")) {
                    return error(500, echo);
                }
                return body(
                        200,
                        "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
            }
            switch (scenario) {
                case "bearer-401-echo", "cc-401-echo", "watch-cc-401-echo":
                    return error(401, echo);
                case "bearer-403-echo", "watch-bearer-403-echo":
                    return error(403, echo);
                case "bearer-422-details-echo":
                    return body(
                            422,
                            "{\"code\":\"" + json(auth) + "\",\"message\":\"bad\",\"details\":[{\"code\":\""
                                    + json(auth)
                                    + "\",\"field\":\"" + json(auth) + "\",\"message\":\"" + json(auth)
                                    + "\"}],\"request_id\":\"" + json(auth) + "\"}");
                case "bearer-200-timestamp-echo":
                    return body(
                            200, "{\"id\":\"task-1\",\"status\":\"running\",\"created_at\":\"" + json(auth) + "\"}");
                case "bearer-200-raw-echo":
                    return body(200, auth.substring(auth.indexOf(' ') + 1));
                case "bearer-200-id-echo":
                    return body(
                            200,
                            "{\"id\":\"" + json(auth.substring(auth.indexOf(' ') + 1)) + "\",\"status\":\"running\"}");
                case "bearer-stall", "watch-bearer-stall-timeout":
                    return new MockResponse.Builder()
                            .onResponseStart(SocketEffect.Stall.INSTANCE)
                            .build();
                case "watch-bearer-404-echo":
                    return error(404, echo);
                default:
                    return error(500, echo)
                            .newBuilder()
                            .setHeader("X-Request-ID", auth)
                            .build();
            }
        }

        private MockResponse error(int status, String message) {
            return body(
                    status,
                    "{\"code\":\"unauthorized\",\"message\":\"you sent " + message + "\",\"status\":" + status + "}");
        }

        private MockResponse body(int status, String body) {
            return new MockResponse.Builder()
                    .code(status)
                    .setHeader("Content-Type", "application/json")
                    .body(body)
                    .build();
        }

        private String decoded(String auth) {
            if (!auth.startsWith("Basic ")) {
                return "";
            }
            return new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
        }

        private String json(String s) {
            return s.replace("\\", "\\\\").replace("\"", "\\\"");
        }
    }
}
