package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CatalogTasksClientBuilderTest {

    private static final Credentials BEARER = Credentials.bearer("kc_test_key");

    private static void buildAndClose(CatalogTasksClient.Builder builder) {
        builder.build().close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://api.keycard.ai",
                "http://10.0.0.7:8080",
                "http://127.0.0.1.nip.io",
                "http://localhost.example.com",
                "http://[::2]"
            })
    void credentialsAreRefusedOverPlainHttpToANonLoopbackHost(String url) {
        for (Credentials credentials : new Credentials[] {BEARER, Credentials.clientCredentials("id", "secret")}) {
            CatalogTasksClient.Builder builder =
                    CatalogTasksClient.builder().baseUrl(URI.create(url)).credentials(credentials);

            assertThatThrownBy(builder::build)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("refusing to send credentials over plain http")
                    .hasMessageNotContaining("kc_test_key")
                    .hasMessageNotContaining("secret");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8080",
                "http://127.8.9.10",
                "http://localhost:9000/api",
                "http://LOCALHOST",
                "http://[::1]:8080",
                "http://[0:0:0:0:0:0:0:1]",
                "https://api.keycard.ai"
            })
    void credentialsAreAllowedToLoopbackOrOverHttps(String url) {
        assertThatCode(() -> buildAndClose(
                        CatalogTasksClient.builder().baseUrl(URI.create(url)).credentials(BEARER)))
                .doesNotThrowAnyException();
    }

    @Test
    void noCredentialsMayGoOverPlainHttpAnywhere() {
        assertThatCode(() -> buildAndClose(CatalogTasksClient.builder()
                        .baseUrl(URI.create("http://api.keycard.ai"))
                        .credentials(Credentials.none())))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://api.keycard.ai",
                "api.keycard.ai",
                "/zones",
                "https:///nohost",
                "https://api.keycard.ai/?x=1",
                "https://api.keycard.ai/#frag"
            })
    void unusableBaseUrlsAreRejected(String url) {
        assertThatThrownBy(() -> CatalogTasksClient.builder().baseUrl(URI.create(url)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("baseUrl must");
    }

    @Test
    void userInfoInTheBaseUrlIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> CatalogTasksClient.builder().baseUrl(URI.create("https://me:hunter2@api.keycard.ai")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void baseUrlIsNormalised() {
        assertThat(Endpoint.requireBaseUrl(URI.create("HTTPS://api.keycard.ai/v1//")))
                .isEqualTo(URI.create("https://api.keycard.ai/v1"));
    }

    @Test
    void baseUrlDefaultsFromTheEnvironmentElseKeycard() {
        assertThat(Endpoint.defaultBaseUrl(Map.of())).isEqualTo(URI.create("https://api.keycard.ai"));
        assertThat(Endpoint.defaultBaseUrl(Map.of("KEYCARD_API_BASE_URL", " ")))
                .isEqualTo(URI.create("https://api.keycard.ai"));
        assertThat(Endpoint.defaultBaseUrl(Map.of("KEYCARD_API_BASE_URL", "http://127.0.0.1:8080/")))
                .isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThatThrownBy(() -> Endpoint.defaultBaseUrl(Map.of("KEYCARD_API_BASE_URL", "not a url")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("KEYCARD_API_BASE_URL");
    }

    @Test
    void environmentGivesTheBaseUrlAndCredentialsInsteadOfTheProcessEnvironment() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(Fixtures.ok("running"));
            Map<String, String> env =
                    Map.of("KEYCARD_API_BASE_URL", Fixtures.baseUrl(server) + "/", "KEYCARD_API_API_KEY", "kc_env_key");

            try (CatalogTasksClient client = CatalogTasksClient.builder()
                    .environment(env)
                    .responseTimeout(Duration.ofSeconds(5))
                    .build()) {
                assertThat(client.retrieve(Fixtures.ZONE, Fixtures.TASK).block(Duration.ofSeconds(10)))
                        .extracting(Task::statusValue)
                        .isEqualTo("running");
            }

            RecordedRequest sent = server.takeRequest();
            assertThat(sent.getTarget()).isEqualTo(Fixtures.TASK_PATH);
            assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer kc_env_key");
        }
    }

    @Test
    void explicitSettingsWinOverTheEnvironment() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(Fixtures.ok("pending"));
            Map<String, String> env = Map.of(
                    "KEYCARD_API_BASE_URL", "https://elsewhere.invalid",
                    "KEYCARD_API_CLIENT_ID", "only-the-id");

            try (CatalogTasksClient client = Fixtures.client(server)
                    .environment(env)
                    .credentials(Credentials.bearer("explicit"))
                    .build()) {
                client.retrieve(Fixtures.ZONE, Fixtures.TASK).block(Duration.ofSeconds(10));
            }

            assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer explicit");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void aBlankBaseUrlVariableCountsAsUnset(String blank) {
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .environment(Map.of("KEYCARD_API_BASE_URL", blank))
                .build()) {
            assertThat(client.toString()).contains("baseUrl=https://api.keycard.ai,");
        }
    }

    @Test
    void unusableEnvironmentValuesFailTheBuildNamingTheVariableNotTheValue() {
        assertThatThrownBy(() -> CatalogTasksClient.builder()
                        .environment(Map.of("KEYCARD_API_BASE_URL", "not a url"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("KEYCARD_API_BASE_URL");
        assertThatThrownBy(() -> CatalogTasksClient.builder()
                        .environment(Map.of("KEYCARD_API_CLIENT_SECRET", "hunter2"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYCARD_API_CLIENT_ID")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> CatalogTasksClient.builder().environment(null)).hasMessage("environment");
    }

    @ParameterizedTest
    @CsvSource({
        "https://api.keycard.ai, api.keycard.ai, 443, api.keycard.ai",
        "http://api.keycard.ai/v1, api.keycard.ai, 80, api.keycard.ai",
        "https://api.keycard.ai:8443, api.keycard.ai, 8443, api.keycard.ai:8443",
        "http://127.0.0.1:8080, 127.0.0.1, 8080, 127.0.0.1:8080",
        "http://[::1]:9000, 0:0:0:0:0:0:0:1, 9000, '[::1]:9000'",
        "https://[2001:db8::1], 2001:db8:0:0:0:0:0:1, 443, '[2001:db8::1]'"
    })
    void requestsGoToTheBaseUrlsHostAndPortWithItsHostHeader(String baseUrl, String host, int port, String hostHeader) {
        java.net.InetSocketAddress address = Endpoint.remoteAddress(URI.create(baseUrl));

        assertThat(address.getHostString()).isEqualTo(host);
        assertThat(address.getPort()).isEqualTo(port);
        assertThat(Endpoint.hostHeader(address)).isEqualTo(hostHeader);
    }

    @Test
    void durationsMustBePositive() {
        CatalogTasksClient.Builder builder = CatalogTasksClient.builder();

        assertThatThrownBy(() -> builder.responseTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("responseTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> builder.responseTimeout(Duration.ofSeconds(-1)))
                .hasMessage("responseTimeout must be positive, got PT-1S");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
                .hasMessage("connectTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ofDays(30)))
                .hasMessage("connectTimeout too large: PT720H");
        assertThatThrownBy(() -> builder.responseTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("responseTimeout");
    }

    @Test
    void limitsMustBeSensible() {
        CatalogTasksClient.Builder builder = CatalogTasksClient.builder();

        assertThatThrownBy(() -> builder.maxResponseBytes(1023))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxResponseBytes must be at least 1024, got 1023");
        assertThatThrownBy(() -> builder.maxConnections(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConnections must be at least 1, got 0");
        assertThatCode(() -> builder.maxResponseBytes(1024).maxConnections(1)).doesNotThrowAnyException();
    }

    @Test
    void nullsAreRejectedByName() {
        assertThatThrownBy(() -> CatalogTasksClient.builder().baseUrl(null)).hasMessage("baseUrl");
        assertThatThrownBy(() -> CatalogTasksClient.builder().credentials(null)).hasMessage("credentials");
    }

    @Test
    void toStringShowsConfigurationButNoSecret() {
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(URI.create("https://api.keycard.ai"))
                .credentials(BEARER)
                .responseTimeout(Duration.ofSeconds(3))
                .build()) {

            assertThat(client)
                    .hasToString("CatalogTasksClient{baseUrl=https://api.keycard.ai,"
                            + " credentials=Credentials.bearer(<redacted>), responseTimeout=PT3S}");
        }
    }
}
