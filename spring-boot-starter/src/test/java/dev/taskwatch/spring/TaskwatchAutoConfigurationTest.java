package dev.taskwatch.spring;

import static dev.taskwatch.core.testing.Await.until;
import static dev.taskwatch.core.testing.LogSafety.everyMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchException;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ManualClock;
import dev.taskwatch.testkit.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The auto-configuration in an application context, against a {@link CatalogSimulator} over loopback HTTP. Delays
 * run on virtual time: {@code StepVerifier.withVirtualTime} or {@link VirtualTimeScheduler#getOrSet()} replace
 * {@code Schedulers.parallel()}, which the auto-configured watcher looks up at each subscription.
 */
class TaskwatchAutoConfigurationTest {

    private static final String ZONE = "zone-1";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TaskwatchAutoConfiguration.class));

    // beans ------------------------------------------------------------------------------------------------------

    @Test
    void createsAClientAndAWatcherWithTheDefaults() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(CatalogTasksClient.class).hasSingleBean(TaskWatcher.class);
            assertThat(context.getBean(TaskWatcher.class).toString())
                    .as("no registry: the options are the library's defaults")
                    .contains(WatchOptions.defaults().toString());
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnClientAndWatcher() {
        runner.withUserConfiguration(OwnClientAndWatcher.class).run(context -> {
            assertThat(context).hasSingleBean(CatalogTasksClient.class).hasSingleBean(TaskWatcher.class);
            assertThat(context.getBean(CatalogTasksClient.class)).isSameAs(OwnClientAndWatcher.CLIENT);
            assertThat(context.getBean(TaskWatcher.class)).isSameAs(OwnClientAndWatcher.WATCHER);
        });
    }

    @Test
    void theAutoConfiguredWatcherUsesTheApplicationsOwnClient() {
        CompletingClient own = new CompletingClient();
        runner.withBean(CatalogTasksClient.class, () -> own).run(context -> {
            Task done = context.getBean(TaskWatcher.class)
                    .awaitTerminal(ZONE, "task-1")
                    .block(Duration.ofSeconds(10));

            assertThat(done).isNotNull();
            assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(own.calls).hasValue(1);
        });
    }

    @Test
    void aWatchThroughTheAutoConfiguredWatcherCompletes() {
        ManualClock clock = ManualClock.at(START);
        try (CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start()) {
            sim.task(ZONE, "task-1")
                    .pending(Duration.ofSeconds(2))
                    .running(Duration.ofSeconds(3))
                    .completes("install-1");
            runner.withPropertyValues("taskwatch.base-url=" + sim.baseUrl(), "taskwatch.watch.jitter=0")
                    .run(context -> {
                        TaskWatcher watcher = context.getBean(TaskWatcher.class);

                        // Delays of 1.75 s, then 2.19 s: each thenAwait lets exactly one more poll out.
                        StepVerifier.withVirtualTime(() -> watcher.watch(ZONE, "task-1"))
                                .assertNext(t -> assertThat(t.status()).isEqualTo(TaskStatus.PENDING))
                                .then(() -> clock.advance(Duration.ofMillis(2500)))
                                .thenAwait(Duration.ofSeconds(2))
                                .assertNext(t -> assertThat(t.status()).isEqualTo(TaskStatus.RUNNING))
                                .then(() -> clock.advance(Duration.ofSeconds(3)))
                                .thenAwait(Duration.ofMillis(2500))
                                .assertNext(t -> {
                                    assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
                                    assertThat(t.installId()).isEqualTo("install-1");
                                })
                                .expectComplete()
                                .verify(Duration.ofSeconds(30));
                        assertThat(sim.requests(ZONE, "task-1")).hasSize(3);
                    });
        }
    }

    // shutdown ---------------------------------------------------------------------------------------------------

    @Test
    void closingTheContextEndsActiveWatchesThenClosesTheClient() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task(ZONE, "forever").running(Duration.ofDays(365));
            Events events = new Events();
            runner.withUserConfiguration(RecordingClientConfiguration.class)
                    .withBean(Events.class, () -> events)
                    .withPropertyValues("taskwatch.base-url=" + sim.baseUrl())
                    .run(context -> {
                        List<Task> seen = new CopyOnWriteArrayList<>();
                        context.getBean(TaskWatcher.class)
                                .watch(ZONE, "forever")
                                .subscribe(seen::add, e -> events.list.add("watch ended: " + e.getMessage()));
                        until(() -> seen.size() == 1, "the first transition");

                        context.close();

                        assertThat(events.list)
                                .containsExactly(
                                        "poll",
                                        "watch ended: watch of task forever in zone zone-1 ended after 1 poll (last"
                                                + " status running): the watcher was closed",
                                        "client closed");
                        time.advanceTimeBy(Duration.ofDays(1));
                        assertThat(events.list)
                                .as("no poll after the context closed")
                                .hasSize(3);
                        assertThat(sim.requests(ZONE, "forever")).hasSize(1);
                    });
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void watchesEndWhenTheContextStopsBeforeAWebServersGracefulShutdownPhase() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task(ZONE, "forever").running(Duration.ofDays(365));
            Events events = new Events();
            runner.withUserConfiguration(RecordingClientConfiguration.class)
                    .withBean(Events.class, () -> events)
                    .withBean(GracefulShutdownPhase.class, () -> new GracefulShutdownPhase(events))
                    .withPropertyValues("taskwatch.base-url=" + sim.baseUrl())
                    .run(context -> {
                        List<Task> seen = new CopyOnWriteArrayList<>();
                        context.getBean(TaskWatcher.class)
                                .watch(ZONE, "forever")
                                .subscribe(seen::add, e -> events.list.add("watch ended"));
                        until(() -> seen.size() == 1, "the first transition");

                        context.close();
                        time.advanceTimeBy(Duration.ofDays(1));

                        assertThat(events.list)
                                .containsExactly("poll", "watch ended", "graceful shutdown phase", "client closed");
                        assertThat(sim.requests(ZONE, "forever")).hasSize(1);
                    });
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    /** Stands for Spring Boot's WebServerGracefulShutdownLifecycle, which stops in this phase. */
    static final class GracefulShutdownPhase implements SmartLifecycle {
        private final Events events;
        private volatile boolean running;

        GracefulShutdownPhase(Events events) {
            this.events = events;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            events.list.add("graceful shutdown phase");
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 1024;
        }
    }

    @Test
    void closingTheContextClosesTheAutoConfiguredClientAndWatcher() {
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            runner.withPropertyValues("taskwatch.base-url=" + sim.baseUrl()).run(context -> {
                CatalogTasksClient client = context.getBean(CatalogTasksClient.class);
                TaskWatcher watcher = context.getBean(TaskWatcher.class);

                context.close();

                assertThatThrownBy(() -> client.retrieve(ZONE, "task-1").block(Duration.ofSeconds(10)))
                        .isInstanceOf(IllegalStateException.class);
                StepVerifier.create(watcher.watch(ZONE, "task-1"))
                        .expectErrorSatisfies(e -> assertThat(e)
                                .isInstanceOf(WatchException.class)
                                .hasMessageEndingWith("not started: the watcher is closed"))
                        .verify(Duration.ofSeconds(10));
                assertThat(sim.requests()).isEmpty();
            });
        }
    }

    // metrics and customizers ------------------------------------------------------------------------------------

    @Test
    void theWatcherRecordsItsMetersInTheApplicationsRegistry() {
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task(ZONE, "task-1").completes("install-1");
            runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                    .withPropertyValues("taskwatch.base-url=" + sim.baseUrl())
                    .run(context -> {
                        context.getBean(TaskWatcher.class)
                                .awaitCompleted(ZONE, "task-1")
                                .block(Duration.ofSeconds(10));

                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        assertThat(registry.get("taskwatch.polls").counter().count())
                                .isEqualTo(1.0);
                        assertThat(registry.get("taskwatch.transitions")
                                        .tag("status", "completed")
                                        .counter()
                                        .count())
                                .isEqualTo(1.0);
                    });
        }
    }

    @Test
    void withoutMicrometerTheWatcherHasNoRegistry() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(TaskWatcher.class).doesNotHaveBean(WatchOptionsCustomizer.class);
                    assertThat(context.getBean(TaskWatcher.class).toString()).contains("meterRegistry=none");
                });
    }

    @Test
    void customizersApplyAfterThePropertiesAndKeepTheMetrics() {
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task(ZONE, "task-1").completes("install-1");
            runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                    .withBean(WatchOptionsCustomizer.class, () -> options -> options.clientRequestIds(() -> "my-app-1"))
                    .withPropertyValues("taskwatch.base-url=" + sim.baseUrl(), "taskwatch.watch.max-delay=30s")
                    .run(context -> {
                        TaskWatcher watcher = context.getBean(TaskWatcher.class);
                        assertThat(watcher.toString()).contains("maxDelay=PT30S", "meterRegistry=set");

                        watcher.awaitCompleted(ZONE, "task-1").block(Duration.ofSeconds(10));

                        RecordedRequest request = sim.requests(ZONE, "task-1").get(0);
                        assertThat(request.header("X-Client-Request-ID")).isEqualTo("my-app-1");
                    });
        }
    }

    // credentials ------------------------------------------------------------------------------------------------

    @Test
    void theApiKeyPropertyIsSentAsABearerToken() {
        try (CatalogSimulator sim = CatalogSimulator.builder()
                .apiKey("key-from-properties")
                .requireAuthorization(true)
                .start()) {
            sim.task(ZONE, "task-1").completes("install-1");
            runner.withPropertyValues(
                            "taskwatch.base-url=" + sim.baseUrl(),
                            "taskwatch.api-key=key-from-properties",
                            "KEYCARD_API_API_KEY=key-from-environment")
                    .run(context -> {
                        context.getBean(TaskWatcher.class)
                                .awaitCompleted(ZONE, "task-1")
                                .block(Duration.ofSeconds(10));

                        assertThat(sim.requests(ZONE, "task-1").get(0).header("Authorization"))
                                .isEqualTo("Bearer key-from-properties");
                        assertThat(context.getBean(CatalogTasksClient.class).toString())
                                .doesNotContain("key-from-properties");
                    });
        }
    }

    @Test
    void clientCredentialPropertiesGetAnOAuthToken() {
        try (CatalogSimulator sim = CatalogSimulator.builder()
                .client("my-client", "my-secret")
                .requireAuthorization(true)
                .start()) {
            sim.task(ZONE, "task-1").completes("install-1");
            runner.withPropertyValues(
                            "taskwatch.base-url=" + sim.baseUrl(),
                            "taskwatch.client-id=my-client",
                            "taskwatch.client-secret=my-secret")
                    .run(context -> {
                        context.getBean(TaskWatcher.class)
                                .awaitCompleted(ZONE, "task-1")
                                .block(Duration.ofSeconds(10));

                        assertThat(sim.tokensIssued()).isEqualTo(1);
                        assertThat(context.getBean(CatalogTasksClient.class).toString())
                                .doesNotContain("my-secret");
                    });
        }
    }

    @Test
    void withoutCredentialPropertiesTheKeycardVariablesAreUsed() {
        try (CatalogSimulator sim = CatalogSimulator.builder()
                .apiKey("key-from-environment")
                .requireAuthorization(true)
                .start()) {
            sim.task(ZONE, "task-1").completes("install-1");
            runner.withPropertyValues(
                            "KEYCARD_API_BASE_URL=" + sim.baseUrl(), "KEYCARD_API_API_KEY=key-from-environment")
                    .run(context -> {
                        context.getBean(TaskWatcher.class)
                                .awaitCompleted(ZONE, "task-1")
                                .block(Duration.ofSeconds(10));

                        assertThat(sim.requests(ZONE, "task-1").get(0).header("Authorization"))
                                .isEqualTo("Bearer key-from-environment");
                    });
        }
    }

    @Test
    void aBlankKeycardApiBaseUrlCountsAsUnsetAsInTheLibrary() {
        runner.withPropertyValues("KEYCARD_API_BASE_URL=").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(CatalogTasksClient.class).toString())
                    .contains("baseUrl=https://api.keycard.ai,");
        });
    }

    @Test
    void anUnusableKeycardApiBaseUrlFailsStartupNamingTheVariable() {
        runner.withPropertyValues("KEYCARD_API_BASE_URL=not a url").run(context -> {
            assertThat(context).hasFailed();
            assertThat(everyMessage(context.getStartupFailure())).contains("KEYCARD_API_BASE_URL is not a valid URL");
        });
    }

    @Test
    void halfAClientCredentialFailsStartupWithoutShowingIt() {
        runner.withPropertyValues("taskwatch.client-secret=s3cr3t-value").run(context -> {
            assertThat(context).hasFailed();
            assertThat(everyMessage(context.getStartupFailure()))
                    .contains("taskwatch.client-id and taskwatch.client-secret must be set together")
                    .doesNotContain("s3cr3t-value");
        });
    }

    @Test
    void anApiKeyAndClientCredentialsTogetherFailStartup() {
        runner.withPropertyValues(
                        "taskwatch.api-key=key-value",
                        "taskwatch.client-id=my-client",
                        "taskwatch.client-secret=s3cr3t-value")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(everyMessage(context.getStartupFailure()))
                            .contains("set one or the other")
                            .doesNotContain("key-value", "s3cr3t-value");
                });
    }

    @Test
    void anUnusableApiKeyFailsStartupNamingThePropertyNotTheValue() {
        runner.withPropertyValues("taskwatch.api-key=bad\u00e9key").run(context -> {
            assertThat(context).hasFailed();
            assertThat(everyMessage(context.getStartupFailure()))
                    .contains("taskwatch.api-key")
                    .doesNotContain("bad\u00e9key");
        });
    }

    @Test
    void credentialsOverPlainHttpToAnotherHostFailStartup() {
        runner.withPropertyValues("taskwatch.base-url=http://catalog.example", "taskwatch.api-key=key-value")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(everyMessage(context.getStartupFailure()))
                            .contains("refusing to send credentials over plain http")
                            .doesNotContain("key-value");
                });
    }

    // support ----------------------------------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    static class OwnClientAndWatcher {
        static final CatalogTasksClient CLIENT = (zone, task, requestId) -> Mono.never();
        static final TaskWatcher WATCHER = TaskWatcher.create(CLIENT);

        @Bean
        CatalogTasksClient myClient() {
            return CLIENT;
        }

        @Bean
        TaskWatcher myWatcher() {
            return WATCHER;
        }
    }

    /** A client of the application's own, answering every task as completed. */
    static final class CompletingClient implements CatalogTasksClient {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Mono<CatalogTasksClient.Response> exchange(
                String zoneId, String taskId, @Nullable String clientRequestId) {
            return Mono.fromSupplier(() -> {
                calls.incrementAndGet();
                return new CatalogTasksClient.Response(Task.of(taskId, TaskStatus.COMPLETED, "install-1"), null);
            });
        }
    }

    /** What happened, in order. */
    static final class Events {
        final List<String> list = new CopyOnWriteArrayList<>();
    }

    /** The application's own client: a real one to the simulator that records its polls and its close. */
    @Configuration(proxyBeanMethods = false)
    static class RecordingClientConfiguration {
        @Bean
        CatalogTasksClient recordingClient(Environment environment, Events events) {
            CatalogTasksClient real = CatalogTasksClient.builder()
                    .baseUrl(URI.create(environment.getRequiredProperty("taskwatch.base-url")))
                    .credentials(Credentials.none())
                    .build();
            return new CatalogTasksClient() {
                @Override
                public Mono<CatalogTasksClient.Response> exchange(
                        String zoneId, String taskId, @Nullable String clientRequestId) {
                    events.list.add("poll");
                    return real.exchange(zoneId, taskId, clientRequestId);
                }

                @Override
                public void close() {
                    events.list.add("client closed");
                    real.close();
                }
            };
        }
    }
}
