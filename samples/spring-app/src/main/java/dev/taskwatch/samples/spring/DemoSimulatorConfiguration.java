package dev.taskwatch.samples.spring;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.spring.TaskwatchProperties;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.Fault;
import dev.taskwatch.testkit.ScriptedTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;

/**
 * {@code --taskwatch.simulator=true}: an embedded {@link CatalogSimulator} on loopback with scripted demo tasks in
 * zone {@value #ZONE}, and the client pointed at it ({@code taskwatch.base-url} is then ignored), so that the app can
 * be tried with {@code curl -N} and no network. The simulator starts before the client and stops after it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("taskwatch.simulator")
class DemoSimulatorConfiguration {

    static final String ZONE = "demo";

    static final List<String> TASKS = List.of("install-fast", "install-slow", "install-fails", "install-stuck");

    private static final Logger log = LoggerFactory.getLogger(DemoSimulatorConfiguration.class);

    @Bean(destroyMethod = "close")
    CatalogSimulator demoSimulator() {
        CatalogSimulator simulator = CatalogSimulator.start();
        script(simulator);
        log.info(
                "taskwatch demo simulator at {}: zone '{}', tasks 'install-fast' (completes after ~5 s),"
                        + " 'install-slow' (~40 s, through a 503 and a reset), 'install-fails' (fails after ~6 s),"
                        + " 'install-stuck' (never ends); a task watched after it ended starts over",
                simulator.baseUrl(),
                ZONE);
        return simulator;
    }

    @Bean(destroyMethod = "close")
    CatalogTasksClient catalogTasksClient(CatalogSimulator demoSimulator, TaskwatchProperties properties) {
        return CatalogTasksClient.builder()
                .baseUrl(demoSimulator.baseUrl())
                .responseTimeout(properties.getResponseTimeout())
                .build();
    }

    /**
     * Restarts a demo task's script when a request watches it after it ended and nothing else watches it, so that
     * each {@code curl} of a demo task shows it from the start, however long after startup it comes.
     */
    @Bean
    WebFilter demoTaskRestarts(CatalogSimulator demoSimulator, TaskWatcher watcher) {
        return (exchange, chain) -> {
            String[] path = exchange.getRequest()
                    .getPath()
                    .pathWithinApplication()
                    .value()
                    .split("/");
            // "", "zones", zone, "tasks", task[, "events"]
            if (path.length >= 5 && path[1].equals("zones") && path[2].equals(ZONE) && path[3].equals("tasks")) {
                restartIfEnded(
                        demoSimulator,
                        path[4],
                        task -> watcher.activeWatches().stream()
                                .anyMatch(w ->
                                        w.zoneId().equals(ZONE) && w.taskId().equals(task)));
            }
            return chain.filter(exchange);
        };
    }

    /** Starts a scripted demo task over from now if it has ended and is not being watched. */
    static void restartIfEnded(CatalogSimulator simulator, String taskId, Predicate<String> watched) {
        if (!TASKS.contains(taskId)) {
            return;
        }
        ScriptedTask task = simulator.task(ZONE, taskId);
        Instant now = simulator.clock().instant();
        if (!now.isBefore(task.terminalAt()) && !watched.test(taskId)) {
            task.createdAt(now);
        }
    }

    /** The demo tasks. Their clocks start when the simulator does; see {@link #restartIfEnded}. */
    static void script(CatalogSimulator simulator) {
        simulator
                .task(ZONE, "install-fast")
                .pending(Duration.ofSeconds(2))
                .running(Duration.ofSeconds(3))
                .completes("inst-fast");
        simulator
                .task(ZONE, "install-slow")
                .pending(Duration.ofSeconds(10))
                .running(Duration.ofSeconds(30))
                .fault(2, Fault.status(503).retryAfter(Duration.ofSeconds(2)))
                .fault(4, Fault.reset())
                .completes("inst-slow");
        simulator
                .task(ZONE, "install-fails")
                .pending(Duration.ofSeconds(1))
                .running(Duration.ofSeconds(5))
                .fails("package 'billing-agent' conflicts with an existing install");
        simulator.task(ZONE, "install-stuck").running(Duration.ofDays(365));
    }
}
