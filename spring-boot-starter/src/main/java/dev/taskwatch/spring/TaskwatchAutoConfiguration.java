package dev.taskwatch.spring;

import static dev.taskwatch.spring.TaskwatchProperties.hasText;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Auto-configures one {@link CatalogTasksClient} and one {@link TaskWatcher} from {@link TaskwatchProperties}, each
 * unless the application defines its own.
 *
 * <ul>
 *   <li>Credentials: {@code taskwatch.api-key}, or {@code taskwatch.client-id} with {@code taskwatch.client-secret};
 *       without them the {@code KEYCARD_API_API_KEY}, {@code KEYCARD_API_CLIENT_ID} and
 *       {@code KEYCARD_API_CLIENT_SECRET} variables, looked up in Spring's {@link Environment} (the process
 *       environment, or any property source); without those, none.
 *   <li>Base URL: {@code taskwatch.base-url}, else {@code KEYCARD_API_BASE_URL} (blank counts as unset), else
 *       {@code https://api.keycard.ai}. The {@code KEYCARD_API_*} variables are read by the client's own rules
 *       ({@link CatalogTasksClient.Builder#environment}).
 *   <li>Watch options: {@code taskwatch.watch.*} over {@link WatchOptions#defaults()}, then every
 *       {@link WatchOptionsCustomizer} bean. When Micrometer is present and the application has one
 *       {@link MeterRegistry} (or a primary one), the watcher records its meters there.
 *   <li>Tracing: when Micrometer Observation is present and the application has one {@link ObservationRegistry}
 *       (Spring Boot's, with Actuator), each watch is one {@code taskwatch.watch} observation under the caller's.
 *   <li>Shutdown: when the context stops, before a web server's graceful shutdown, the watcher is closed, which ends
 *       every active watch with a {@code WatchException} and sends no further poll; the client is closed after,
 *       when the beans are destroyed, releasing its connections.
 * </ul>
 */
@AutoConfiguration
@EnableConfigurationProperties(TaskwatchProperties.class)
public final class TaskwatchAutoConfiguration {

    private static final String API_KEY = "KEYCARD_API_API_KEY";
    private static final String CLIENT_ID = "KEYCARD_API_CLIENT_ID";
    private static final String CLIENT_SECRET = "KEYCARD_API_CLIENT_SECRET";
    private static final String BASE_URL = "KEYCARD_API_BASE_URL";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    CatalogTasksClient catalogTasksClient(TaskwatchProperties properties, Environment environment) {
        CatalogTasksClient.Builder builder = CatalogTasksClient.builder()
                .responseTimeout(properties.getResponseTimeout())
                .environment(keycardVariables(environment));
        Credentials credentials = credentials(properties);
        if (credentials != null) {
            builder.credentials(credentials);
        }
        if (properties.getBaseUrl() != null) {
            builder.baseUrl(properties.getBaseUrl());
        }
        return builder.build();
    }

    // The watcher depends on the client, so Spring destroys it first: watches end before their connections close.
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TaskWatcher taskWatcher(
            CatalogTasksClient client,
            TaskwatchProperties properties,
            ObjectProvider<WatchOptionsCustomizer> customizers) {
        return TaskWatcher.create(
                client, watchOptions(properties, customizers.orderedStream().toList()));
    }

    // Closes the watchers when the context stops, before a web server's graceful shutdown waits for open responses.
    @Bean
    TaskwatchShutdown taskwatchShutdown(ObjectProvider<TaskWatcher> watchers) {
        return new TaskwatchShutdown(watchers);
    }

    /** The properties over the defaults, then each customizer in turn. */
    static WatchOptions watchOptions(TaskwatchProperties properties, List<WatchOptionsCustomizer> customizers) {
        WatchOptions options = properties.getWatch().applyTo(WatchOptions.defaults());
        for (WatchOptionsCustomizer customizer : customizers) {
            options = Objects.requireNonNull(customizer.customize(options), () -> customizer + " returned null");
        }
        return options;
    }

    /**
     * The credentials the properties name, or null to let the client take them from the {@code KEYCARD_API_*}
     * variables. Failure messages name properties, never their values.
     */
    static @Nullable Credentials credentials(TaskwatchProperties properties) {
        String apiKey = properties.getApiKey();
        String clientId = properties.getClientId();
        String clientSecret = properties.getClientSecret();
        boolean client = hasText(clientId) || hasText(clientSecret);
        if (hasText(apiKey)) {
            if (client) {
                throw new IllegalStateException(
                        "taskwatch.api-key and taskwatch.client-id/client-secret are both set: set one or the other");
            }
            return property("taskwatch.api-key", () -> Credentials.bearer(apiKey));
        }
        if (client) {
            if (!hasText(clientId) || !hasText(clientSecret)) {
                throw new IllegalStateException("taskwatch.client-id and taskwatch.client-secret must be set together"
                        + " (only taskwatch." + (hasText(clientId) ? "client-id" : "client-secret") + " is set)");
            }
            return property(
                    "taskwatch.client-id/client-secret", () -> Credentials.clientCredentials(clientId, clientSecret));
        }
        return null;
    }

    /**
     * The {@code KEYCARD_API_*} variables as Spring's {@link Environment} resolves them (the process environment, or
     * any property source), for the client to read its defaults from by its own rules.
     */
    static Map<String, String> keycardVariables(Environment environment) {
        Map<String, String> variables = new HashMap<>();
        for (String name : List.of(API_KEY, CLIENT_ID, CLIENT_SECRET, BASE_URL)) {
            String value = environment.getProperty(name);
            if (value != null) {
                variables.put(name, value);
            }
        }
        return variables;
    }

    private static Credentials property(String name, Supplier<Credentials> credentials) {
        try {
            return credentials.get();
        } catch (IllegalArgumentException e) {
            // Credentials' messages never carry the value; this one adds which property to fix.
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives the watcher the application's {@link ObservationRegistry} when Micrometer Observation is on the class
     * path: one observation (a span, with a tracing bridge) per watch. Inert without a registry bean.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    static final class ObservationConfiguration {

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        WatchOptionsCustomizer taskwatchObservationRegistryCustomizer(ObjectProvider<ObservationRegistry> registries) {
            return options -> {
                ObservationRegistry registry = registries.getIfUnique();
                return registry == null ? options : options.observationRegistry(registry);
            };
        }
    }

    /** Binds the watcher's meters when Micrometer is on the class path; inert without a registry bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static final class MetricsConfiguration {

        // First, so that an application's own customizer may still replace the registry.
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        WatchOptionsCustomizer taskwatchMeterRegistryCustomizer(ObjectProvider<MeterRegistry> registries) {
            return options -> {
                MeterRegistry registry = registries.getIfUnique();
                return registry == null ? options : options.meterRegistry(registry);
            };
        }
    }
}
