package dev.taskwatch.spring;

import static dev.taskwatch.core.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.testkit.CatalogSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link TaskwatchEndpoint} and its auto-configuration: present only with Actuator and when exposed, and listing what
 * the watcher polls against a {@link CatalogSimulator} over loopback HTTP, on virtual time.
 */
class TaskwatchEndpointTest {

    private static final String ZONE = "zone-1";
    private static final String EXPOSED = "management.endpoints.web.exposure.include=taskwatch";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(TaskwatchAutoConfiguration.class, TaskwatchEndpointAutoConfiguration.class));

    @Test
    void theEndpointIsConfiguredWhenActuatorIsPresentAndTheEndpointExposed() {
        runner.withPropertyValues(EXPOSED).run(context -> assertThat(context).hasSingleBean(TaskwatchEndpoint.class));
    }

    @Test
    void withoutActuatorThereIsNoEndpointButStillAWatcher() {
        runner.withPropertyValues(EXPOSED)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(TaskWatcher.class)
                        .doesNotHaveBean(TaskwatchEndpoint.class));
    }

    @Test
    void anEndpointNotExposedIsNotConfigured() {
        runner.run(context ->
                assertThat(context).hasSingleBean(TaskWatcher.class).doesNotHaveBean(TaskwatchEndpoint.class));
    }

    @Test
    void anEndpointAccessDisabledIsNotConfigured() {
        runner.withPropertyValues(EXPOSED, "management.endpoint.taskwatch.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(TaskwatchEndpoint.class));
    }

    @Test
    void actuatorServesTheReadOperationAsJsonData() throws Exception {
        VirtualTimeScheduler.getOrSet();
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task(ZONE, "task-1").pending(Duration.ofDays(365));
            // JMX is the Actuator transport this module can run without a web server; it maps answers through JSON.
            runner.withConfiguration(AutoConfigurations.of(
                            JmxAutoConfiguration.class,
                            EndpointAutoConfiguration.class,
                            JmxEndpointAutoConfiguration.class))
                    .withPropertyValues(
                            "spring.jmx.enabled=true",
                            "spring.jmx.unique-names=true",
                            "management.endpoints.jmx.exposure.include=taskwatch",
                            "taskwatch.base-url=" + sim.baseUrl(),
                            "taskwatch.watch.initial-delay=2s",
                            "taskwatch.watch.jitter=0")
                    .run(context -> {
                        List<Task> seen = new CopyOnWriteArrayList<>();
                        Disposable watch = context.getBean(TaskWatcher.class)
                                .watch(ZONE, "task-1")
                                .subscribe(seen::add);
                        until(() -> seen.size() == 1, "the first transition");
                        MBeanServer server = context.getBean(MBeanServer.class);
                        ObjectName name = server.queryNames(
                                        new ObjectName("org.springframework.boot:type=Endpoint,name=Taskwatch,*"), null)
                                .iterator()
                                .next();

                        Object answer = server.invoke(name, "watches", new Object[0], new String[0]);

                        assertThat(answer)
                                .isEqualTo(Map.of(
                                        "watches",
                                        List.of(Map.of(
                                                "zone", ZONE,
                                                "task", "task-1",
                                                "status", "pending",
                                                "polls", 1,
                                                "age", "PT0S",
                                                "nextPollIn", "PT2S",
                                                "subscribers", 1))));
                        watch.dispose();
                    });
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void theReadOperationListsALiveWatch() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task(ZONE, "task-1").running(Duration.ofDays(365));
            runner.withPropertyValues(
                            EXPOSED,
                            "taskwatch.base-url=" + sim.baseUrl(),
                            "taskwatch.watch.initial-delay=2s",
                            "taskwatch.watch.jitter=0")
                    .run(context -> {
                        TaskwatchEndpoint endpoint = context.getBean(TaskwatchEndpoint.class);
                        assertThat(endpoint.watches().watches()).isEmpty();

                        List<Task> seen = new CopyOnWriteArrayList<>();
                        Disposable watch = context.getBean(TaskWatcher.class)
                                .watch(ZONE, "task-1")
                                .subscribe(seen::add);
                        until(() -> seen.size() == 1, "the first transition");
                        time.advanceTimeBy(Duration.ofMillis(500));

                        assertThat(endpoint.watches().watches())
                                .containsExactly(new TaskwatchEndpoint.Watch(
                                        ZONE, "task-1", "running", 1, "PT0.5S", "PT1.5S", 1));
                        assertThat(JsonMapper.builder().build().writeValueAsString(endpoint.watches()))
                                .isEqualTo(
                                        "{\"watches\":[{\"zone\":\"zone-1\",\"task\":\"task-1\",\"status\":\"running\","
                                                + "\"polls\":1,\"age\":\"PT0.5S\",\"nextPollIn\":\"PT1.5S\",\"subscribers\":1}]}");

                        watch.dispose();
                        assertThat(endpoint.watches().watches()).isEmpty();
                        assertThat(sim.requests(ZONE, "task-1")).hasSize(1);
                    });
        } finally {
            VirtualTimeScheduler.reset();
        }
    }
}
