package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static dev.taskwatch.reactor.Tasks.apiError;
import static dev.taskwatch.reactor.Tasks.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** DESIGN.md §4.13: metrics when a registry is given, and no Micrometer needed when none is. */
class WatchMetricsTest {

    /** The longest a test waits in real time for a signal: a regression fails it instead of hanging the build. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void recordsPollsRetriesTransitionsAndWatchDuration() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ScriptedClient client =
                new ScriptedClient(response("pending"), apiError(503), response("running"), response("completed"));
        WatchOptions options = Tasks.ONE_TWO_TEN.meterRegistry(registry);

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .thenAwait(Duration.ofSeconds(10))
                .expectNextCount(3)
                .expectComplete()
                .verify(WAIT);

        assertThat(registry.get("taskwatch.polls").counter().count()).isEqualTo(4);
        assertThat(registry.get("taskwatch.retries")
                        .tag("reason", "503")
                        .counter()
                        .count())
                .isEqualTo(1);
        for (String status : List.of("pending", "running", "completed")) {
            assertThat(registry.get("taskwatch.transitions")
                            .tag("status", status)
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
        var timer = registry.get("taskwatch.watch.duration")
                .tag("outcome", "completed")
                .timer();
        assertThat(timer.count()).isEqualTo(1);
        // pending at 0 s, 503 at 1 s, running at 3 s, completed at 7 s (no reset after a transition)
        assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(7.0);
    }

    @Test
    void recordsTimeoutAndCancelledOutcomes() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ScriptedClient client = new ScriptedClient(response("pending"));
        WatchOptions options = WatchOptions.defaults().meterRegistry(registry);

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options.timeout(Duration.ofSeconds(5)))
                        .watch(ZONE, TASK))
                .expectNextCount(1)
                .thenAwait(Duration.ofSeconds(5))
                .expectError(WatchTimeoutException.class)
                .verify(WAIT);
        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .expectNextCount(1)
                .thenCancel()
                .verify(WAIT);

        assertThat(registry.get("taskwatch.watch.duration")
                        .tag("outcome", "timeout")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("taskwatch.watch.duration")
                        .tag("outcome", "cancelled")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void watchingWorksWithoutMicrometerOnTheClassPath() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.contains("micrometer")) {
                urls.add(toUrl(entry));
            }
        }
        try (URLClassLoader withoutMicrometer =
                new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() ->
                            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, withoutMicrometer))
                    .isInstanceOf(ClassNotFoundException.class);

            @SuppressWarnings("unchecked")
            Callable<List<String>> probe = (Callable<List<String>>) withoutMicrometer
                    .loadClass(NoMicrometerProbe.class.getName())
                    .getDeclaredConstructor()
                    .newInstance();

            assertThat(probe.call()).containsExactly("pending", "running", "completed");
        }
    }

    private static URL toUrl(String entry) {
        try {
            return new File(entry).toURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
