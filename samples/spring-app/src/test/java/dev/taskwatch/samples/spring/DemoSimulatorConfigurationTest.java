package dev.taskwatch.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.testing.Await;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/** {@code --taskwatch.simulator=true}: the demo simulator and its tasks, and the client pointed at it. */
class DemoSimulatorConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(dev.taskwatch.spring.TaskwatchAutoConfiguration.class))
            .withUserConfiguration(DemoSimulatorConfiguration.class);

    @Test
    void withoutThePropertyThereIsNoSimulator() {
        runner.run(context -> assertThat(context).doesNotHaveBean(CatalogSimulator.class));
    }

    @Test
    void theDemoTasksAreWatchedThroughTheEmbeddedSimulator() {
        VirtualTimeScheduler.getOrSet();
        try {
            runner.withPropertyValues("taskwatch.simulator=true", "taskwatch.base-url=https://ignored.example")
                    .run(context -> {
                        assertThat(context)
                                .hasSingleBean(CatalogSimulator.class)
                                .hasSingleBean(CatalogTasksClient.class);
                        CatalogSimulator sim = context.getBean(CatalogSimulator.class);
                        List<String> seen = new CopyOnWriteArrayList<>();
                        TaskWatcher watcher = context.getBean(TaskWatcher.class);
                        // The task that never ends: the others' phases run on the real clock from startup.
                        List<Disposable> watches = List.of(
                                watcher.watch("demo", "install-stuck").subscribe(t -> seen.add(t.statusValue())));

                        Await.until(() -> seen.size() == 1, "the first transition");

                        assertThat(seen).containsExactly("running");
                        assertThat(sim.requests("demo", "install-stuck")).hasSize(1);
                        watches.forEach(Disposable::dispose);
                    });
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void aDemoTaskWatchedAfterItEndedStartsOverUnlessSomeoneWatchesIt() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        try (CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start()) {
            DemoSimulatorConfiguration.script(sim);
            Instant created = sim.task("demo", "install-fast").createdAt();

            DemoSimulatorConfiguration.restartIfEnded(sim, "install-fast", task -> false);
            assertThat(sim.task("demo", "install-fast").createdAt())
                    .as("not ended yet")
                    .isEqualTo(created);

            clock.advance(Duration.ofSeconds(6));
            DemoSimulatorConfiguration.restartIfEnded(sim, "install-fast", task -> true);
            assertThat(sim.task("demo", "install-fast").createdAt())
                    .as("still watched")
                    .isEqualTo(created);

            DemoSimulatorConfiguration.restartIfEnded(sim, "install-fast", task -> false);
            assertThat(sim.task("demo", "install-fast").createdAt()).isEqualTo(clock.instant());

            DemoSimulatorConfiguration.restartIfEnded(sim, "not-a-demo-task", task -> false);
            assertThat(sim.requests()).isEmpty();
        }
    }

    @Test
    void theDemoScriptHasAFailingTask() {
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            DemoSimulatorConfiguration.script(sim);
            assertThat(sim.task("demo", "install-fails").toString()).contains("install-fails");
            assertThat(sim.task("demo", "install-fast").terminalAt())
                    .isEqualTo(sim.task("demo", "install-fast").createdAt().plus(Duration.ofSeconds(5)));
        }
    }
}
