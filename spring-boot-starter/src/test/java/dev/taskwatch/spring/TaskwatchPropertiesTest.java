package dev.taskwatch.spring;

import static dev.taskwatch.core.testing.LogSafety.everyMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Binding {@code taskwatch.*}, the generated metadata, and how the secret properties are kept out of sight. */
class TaskwatchPropertiesTest {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskwatchAutoConfiguration.class));

    /** With Actuator's env and configprops endpoints, as an application that includes them has. */
    private final ApplicationContextRunner actuator = runner.withConfiguration(AutoConfigurations.of(
                    EnvironmentEndpointAutoConfiguration.class,
                    ConfigurationPropertiesReportEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=env,configprops");

    // binding ----------------------------------------------------------------------------------------------------

    @Test
    void bindsEveryPropertyWithDurationsInEachFormat() {
        runner.withPropertyValues(
                        "taskwatch.base-url=https://catalog.example/api",
                        "taskwatch.response-timeout=2s",
                        "taskwatch.watch.initial-delay=500", // milliseconds, Spring's unit for a bare number
                        "taskwatch.watch.max-delay=PT30S",
                        "taskwatch.watch.multiplier=1.5",
                        "taskwatch.watch.jitter=0",
                        "taskwatch.watch.timeout=30m",
                        "taskwatch.watch.not-found-grace=1m",
                        "taskwatch.watch.max-consecutive-errors=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TaskwatchProperties properties = context.getBean(TaskwatchProperties.class);
                    assertThat(properties.getBaseUrl()).isEqualTo(URI.create("https://catalog.example/api"));
                    assertThat(properties.getResponseTimeout()).isEqualTo(Duration.ofSeconds(2));

                    WatchOptions expected = WatchOptions.defaults()
                            .initialDelay(Duration.ofMillis(500))
                            .maxDelay(Duration.ofSeconds(30))
                            .multiplier(1.5)
                            .jitter(0)
                            .timeout(Duration.ofMinutes(30))
                            .notFoundGrace(Duration.ofMinutes(1))
                            .maxConsecutiveErrors(3);
                    assertThat(context.getBean(TaskWatcher.class).toString()).contains(expected.toString());
                    assertThat(context.getBean(CatalogTasksClient.class).toString())
                            .contains("baseUrl=https://catalog.example/api", "responseTimeout=PT2S");
                });
    }

    @Test
    void unsetPropertiesGiveTheLibrarysDefaults() {
        WatchOptions bound = TaskwatchAutoConfiguration.watchOptions(new TaskwatchProperties(), List.of());
        WatchOptions defaults = WatchOptions.defaults();

        assertThat(bound.initialDelay()).isEqualTo(defaults.initialDelay());
        assertThat(bound.maxDelay()).isEqualTo(defaults.maxDelay());
        assertThat(bound.multiplier()).isEqualTo(defaults.multiplier());
        assertThat(bound.jitter()).isEqualTo(defaults.jitter());
        assertThat(bound.timeout()).isEqualTo(defaults.timeout()).isNull();
        assertThat(bound.notFoundGrace()).isEqualTo(defaults.notFoundGrace());
        assertThat(bound.maxConsecutiveErrors()).isEqualTo(defaults.maxConsecutiveErrors());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "taskwatch.watch.jitter=1.5                | jitter must be in [0, 1), got 1.5",
                "taskwatch.watch.multiplier=0.5            | multiplier must be a finite number >= 1.0, got 0.5",
                "taskwatch.watch.initial-delay=0s          | initialDelay must be positive, got PT0S",
                "taskwatch.watch.max-delay=-1s             | maxDelay must be positive, got PT-1S",
                "taskwatch.watch.timeout=0s                | timeout must be positive, got PT0S",
                "taskwatch.watch.not-found-grace=-1s       | notFoundGrace must not be negative, got PT-1S",
                "taskwatch.watch.max-consecutive-errors=-1 | maxConsecutiveErrors must not be negative, got -1",
                "taskwatch.response-timeout=0s             | responseTimeout must be positive, got PT0S",
                "taskwatch.base-url=ftp://catalog.example  | baseUrl must be an absolute http or https URL, got ftp:",
            })
    void anInvalidValueFailsBindingNamingTheProperty(String property, String reason) {
        String name = property.substring(0, property.indexOf('='));
        int dot = name.lastIndexOf('.');
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(everyMessage(context.getStartupFailure()))
                    .contains("Failed to bind properties under '" + name.substring(0, dot) + "'")
                    .contains("Unable to set value for property " + name.substring(dot + 1) + "\n")
                    .contains(reason);
        });
    }

    @Test
    void aBaseUrlWithUserInfoFailsStartupWithoutRepeatingIt() {
        runner.withPropertyValues("taskwatch.base-url=https://user:pa55word@catalog.example")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(everyMessage(context.getStartupFailure()))
                            .contains("baseUrl must not contain user info")
                            .doesNotContain("pa55word");
                });
    }

    @Test
    void toStringNamesTheKindOfCredentialsButNoValue() {
        TaskwatchProperties properties = new TaskwatchProperties();
        assertThat(properties.toString()).contains("credentials=environment", "baseUrl=default");

        properties.setApiKey("key-value");
        assertThat(properties.toString()).contains("credentials=api-key").doesNotContain("key-value");

        properties.setApiKey(null);
        properties.setClientId("client-value");
        properties.setClientSecret("secret-value");
        assertThat(properties.toString())
                .contains("credentials=client-credentials")
                .doesNotContain("client-value", "secret-value");
    }

    // metadata ---------------------------------------------------------------------------------------------------

    @Test
    void metadataDescribesEveryPropertyWithTheLibrarysDefaults() throws Exception {
        Map<String, JsonNode> properties = metadataProperties();
        assertThat(properties)
                .containsOnlyKeys(
                        "taskwatch.base-url",
                        "taskwatch.response-timeout",
                        "taskwatch.api-key",
                        "taskwatch.client-id",
                        "taskwatch.client-secret",
                        "taskwatch.watch.initial-delay",
                        "taskwatch.watch.max-delay",
                        "taskwatch.watch.multiplier",
                        "taskwatch.watch.jitter",
                        "taskwatch.watch.timeout",
                        "taskwatch.watch.not-found-grace",
                        "taskwatch.watch.max-consecutive-errors",
                        // Generated from TaskwatchEndpoint's @Endpoint, as for Actuator's own endpoints.
                        "management.endpoint.taskwatch.access",
                        "management.endpoint.taskwatch.cache.time-to-live");
        properties.forEach((name, property) ->
                assertThat(property.path("description").asString()).as(name).isNotBlank());

        WatchOptions defaults = WatchOptions.defaults();
        assertThat(duration(properties, "taskwatch.watch.initial-delay")).isEqualTo(defaults.initialDelay());
        assertThat(duration(properties, "taskwatch.watch.max-delay")).isEqualTo(defaults.maxDelay());
        assertThat(duration(properties, "taskwatch.watch.not-found-grace")).isEqualTo(defaults.notFoundGrace());
        assertThat(properties
                        .get("taskwatch.watch.multiplier")
                        .path("defaultValue")
                        .doubleValue())
                .isEqualTo(defaults.multiplier());
        assertThat(properties.get("taskwatch.watch.jitter").path("defaultValue").doubleValue())
                .isEqualTo(defaults.jitter());
        assertThat(properties
                        .get("taskwatch.watch.max-consecutive-errors")
                        .path("defaultValue")
                        .intValue())
                .isEqualTo(defaults.maxConsecutiveErrors());
        assertThat(properties.get("taskwatch.watch.timeout").has("defaultValue"))
                .as("no timeout by default")
                .isFalse();
        assertThat(duration(properties, "taskwatch.response-timeout")).isEqualTo(Duration.ofSeconds(10));
    }

    // secrets in Actuator ----------------------------------------------------------------------------------------

    @Test
    void actuatorMasksTheCredentialPropertiesByDefault() {
        actuator.withPropertyValues("taskwatch.api-key=key-value").run(context -> {
            assertThat(envValue(context, "taskwatch.api-key")).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(configprops(context)).containsEntry("apiKey", SanitizableData.SANITIZED_VALUE);
        });
    }

    @Test
    void theSecretNamesMatchSpringsCredentialRuleWhereValuesAreShown() {
        ApplicationContextRunner showing = actuator.withBean(
                        SanitizingFunction.class,
                        () -> SanitizingFunction.sanitizeValue().ifLikelyCredential())
                .withPropertyValues(
                        "management.endpoint.env.show-values=always",
                        "management.endpoint.configprops.show-values=always",
                        "taskwatch.base-url=https://catalog.example");

        showing.withPropertyValues("taskwatch.api-key=key-value").run(context -> {
            assertThat(envValue(context, "taskwatch.api-key")).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(envValue(context, "taskwatch.base-url")).isEqualTo("https://catalog.example");
            assertThat(configprops(context)).containsEntry("apiKey", SanitizableData.SANITIZED_VALUE);
        });
        showing.withPropertyValues("taskwatch.client-id=client-value", "taskwatch.client-secret=secret-value")
                .run(context -> {
                    assertThat(envValue(context, "taskwatch.client-secret")).isEqualTo(SanitizableData.SANITIZED_VALUE);
                    assertThat(envValue(context, "taskwatch.client-id")).isEqualTo("client-value");
                    assertThat(configprops(context))
                            .containsEntry("clientSecret", SanitizableData.SANITIZED_VALUE)
                            .containsEntry("clientId", "client-value");
                });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "taskwatch.api-key",
                "taskwatch.client-secret",
                "taskwatch.apiKey",
                "taskwatch.clientSecret",
                "TASKWATCH_APIKEY",
                "TASKWATCH_CLIENTSECRET"
            })
    void springsSanitizerMasksEverySpellingOfTheSecretNames(String key) {
        SanitizableData data = new SanitizableData(null, key, "value");

        assertThat(new Sanitizer().sanitize(data, false))
                .as("Actuator's default: no value shown")
                .isEqualTo(SanitizableData.SANITIZED_VALUE);
        assertThat(new Sanitizer(List.of(SanitizingFunction.sanitizeValue().ifLikelyCredential())).sanitize(data, true))
                .as("values shown, credentials masked")
                .isEqualTo(SanitizableData.SANITIZED_VALUE);
    }

    // support ----------------------------------------------------------------------------------------------------

    private static Object envValue(AssertableApplicationContext context, String name) {
        var entry = context.getBean(EnvironmentEndpoint.class).environmentEntry(name);
        assertThat(entry.getProperty()).as(name).isNotNull();
        return entry.getProperty().getValue();
    }

    /** The {@code taskwatch} bean's properties as {@code /actuator/configprops} reports them. */
    private static Map<String, Object> configprops(AssertableApplicationContext context) {
        var report = context.getBean(ConfigurationPropertiesReportEndpoint.class)
                .configurationPropertiesWithPrefix("taskwatch");
        return report.getContexts().values().stream()
                .flatMap(c -> c.getBeans().values().stream())
                .filter(bean -> bean.getPrefix().equals("taskwatch"))
                .findFirst()
                .orElseThrow()
                .getProperties();
    }

    private static Map<String, JsonNode> metadataProperties() throws Exception {
        Path classes = Path.of(TaskwatchProperties.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        JsonNode metadata = JsonMapper.builder()
                .build()
                .readTree(Files.readAllBytes(classes.resolve("META-INF/spring-configuration-metadata.json")));
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode property : metadata.path("properties").values()) {
            byName.put(property.path("name").asString(), property);
        }
        return byName;
    }

    private static Duration duration(Map<String, JsonNode> properties, String name) {
        return DurationStyle.detectAndParse(
                properties.get(name).path("defaultValue").asString());
    }
}
