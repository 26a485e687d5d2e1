package dev.taskwatch.spring;

import static dev.taskwatch.core.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ManualClock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

/**
 * One span per watch through a real tracer: Micrometer Tracing's OpenTelemetry bridge over the OpenTelemetry SDK,
 * exporting to memory, with the application's {@link ObservationRegistry} bean handed to the watcher by the
 * auto-configuration. The watcher polls a {@link CatalogSimulator} over loopback HTTP, on virtual time.
 */
class TaskwatchTracingTest {

    private static final String ZONE = "zone-1";
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("taskwatch.outcome");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans))
            .build();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskwatchAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> registry);

    TaskwatchTracingTest() {
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(
                tracerProvider.get("taskwatch-test"),
                current,
                event -> {},
                new OtelBaggageManager(current, List.of(), List.of()));
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    }

    @AfterEach
    void shutDownTracer() {
        tracerProvider.close();
    }

    @Test
    void aWatchIsOneSpanUnderTheCallersThatEndsWithTheWatch() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        try (CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start()) {
            sim.task(ZONE, "task-1")
                    .pending(Duration.ofSeconds(2))
                    .running(Duration.ofSeconds(3))
                    .completes("install-1");
            runner.withPropertyValues("taskwatch.base-url=" + sim.baseUrl(), "taskwatch.watch.jitter=0")
                    .run(context -> {
                        TaskWatcher watcher = context.getBean(TaskWatcher.class);
                        Observation caller = Observation.start("deploy", registry);

                        // Delays of 1.75 s, then 2.19 s: each thenAwait lets exactly one more poll out.
                        StepVerifier.withVirtualTime(() -> watcher.watch(ZONE, "task-1")
                                        .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, caller)))
                                .expectNextCount(1)
                                .then(() -> clock.advance(Duration.ofMillis(2500)))
                                .thenAwait(Duration.ofSeconds(2))
                                .expectNextCount(1)
                                .then(() -> clock.advance(Duration.ofSeconds(3)))
                                .thenAwait(Duration.ofMillis(2500))
                                .expectNextCount(1)
                                .expectComplete()
                                .verify(Duration.ofSeconds(30));

                        SpanData watch = single(spans.getFinishedSpanItems());
                        assertThat(watch.getName()).isEqualTo("taskwatch watch");
                        assertThat(watch.hasEnded()).isTrue();
                        assertThat(watch.getAttributes().asMap())
                                .containsEntry(OUTCOME, "completed")
                                .containsEntry(AttributeKey.stringKey("taskwatch.operation"), "install")
                                .containsEntry(AttributeKey.stringKey("taskwatch.zone"), ZONE)
                                .containsEntry(AttributeKey.stringKey("taskwatch.task"), "task-1");
                        assertThat(watch.getEvents())
                                .extracting(EventData::getName)
                                .containsExactly("pending", "running", "completed");

                        caller.stop();

                        SpanData deploy = spans.getFinishedSpanItems().stream()
                                .filter(s -> s.getName().equals("deploy"))
                                .findFirst()
                                .orElseThrow();
                        assertThat(watch.getTraceId()).isEqualTo(deploy.getTraceId());
                        assertThat(watch.getParentSpanId()).isEqualTo(deploy.getSpanId());
                    });
        }
    }

    @Test
    void aCancelledWatchEndsItsSpanAsCancelled() {
        VirtualTimeScheduler.getOrSet();
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task(ZONE, "slow").running(Duration.ofDays(365));
            runner.withPropertyValues("taskwatch.base-url=" + sim.baseUrl()).run(context -> {
                List<Task> seen = new CopyOnWriteArrayList<>();
                Disposable watch =
                        context.getBean(TaskWatcher.class).watch(ZONE, "slow").subscribe(seen::add);
                until(() -> seen.size() == 1, "the first transition");
                assertThat(spans.getFinishedSpanItems())
                        .as("the span lasts as long as the watch")
                        .isEmpty();

                watch.dispose();

                SpanData span = single(spans.getFinishedSpanItems());
                assertThat(span.getAttributes().get(OUTCOME)).isEqualTo("cancelled");
                assertThat(span.getParentSpanContext().isValid())
                        .as("no caller span: a root")
                        .isFalse();
            });
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void withoutMicrometerObservationTheWatcherHasNoObservationRegistry() {
        runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(TaskWatcher.class);
                    assertThat(context.getBean(TaskWatcher.class).toString()).contains("observationRegistry=none");
                });
    }

    @Test
    void theApplicationsRegistryIsHandedToTheWatcher() {
        runner.run(context ->
                assertThat(context.getBean(TaskWatcher.class).toString()).contains("observationRegistry=set"));
    }

    private static SpanData single(List<SpanData> finished) {
        assertThat(finished).hasSize(1);
        return finished.get(0);
    }
}
