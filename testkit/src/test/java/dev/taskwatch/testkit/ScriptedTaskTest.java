package dev.taskwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.ErrorCode;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskOperation;
import dev.taskwatch.core.TaskStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScriptedTaskTest {

    final ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00.123456Z"));
    final CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start();
    final CatalogTasksClient client = CatalogTasksClient.builder()
            .baseUrl(sim.baseUrl())
            .credentials(Credentials.none())
            .build();

    @AfterEach
    void close() {
        client.close();
        sim.close();
    }

    Task retrieve(String taskId) {
        return client.retrieve("zone-1", taskId).block(Duration.ofSeconds(10));
    }

    @Test
    void createdWhenFirstScriptedToTheMillisecond() {
        ScriptedTask script = sim.task("zone-1", "task-1");

        assertThat(script.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
        assertThat(script.zoneId()).isEqualTo("zone-1");
        assertThat(script.taskId()).isEqualTo("task-1");
    }

    @Test
    void defaultsToCompletingAtOnceWithADerivedInstallId() {
        sim.task("zone-1", "task-1");

        Task task = retrieve("task-1");

        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(task.installId()).isEqualTo("install-task-1");
    }

    @Test
    void createdAtCanBeSetInThePast() {
        sim.task("zone-1", "task-1")
                .createdAt(Instant.parse("2025-12-31T23:59:00Z"))
                .running(Duration.ofSeconds(90));

        Task task = retrieve("task-1");

        assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(task.createdAt()).isEqualTo(Instant.parse("2025-12-31T23:59:00Z"));
        assertThat(sim.task("zone-1", "task-1").terminalAt()).isEqualTo(Instant.parse("2026-01-01T00:00:30Z"));
    }

    @Test
    void deleteTaskWithAnAdoptedEntityWarning() {
        sim.task("zone-1", "task-1")
                .operation(TaskOperation.DELETE)
                .running(Duration.ofMinutes(1))
                .packageInfo("pkg-1", "github", 7)
                .warning("conflict", "adopted entity app-1 kept, not deleted")
                .link(new Task.Link("#app-1", "adopted", Map.of(), Map.of("en", "App 1"), null));

        Task task = retrieve("task-1");

        assertThat(task.operation()).isEqualTo(TaskOperation.DELETE);
        assertThat(task.packageId()).isEqualTo("pkg-1");
        assertThat(task.packageSlug()).isEqualTo("github");
        assertThat(task.packageVersion()).isEqualTo(BigDecimal.valueOf(7));
        assertThat(task.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(w.message()).isEqualTo("adopted entity app-1 kept, not deleted");
            assertThat(w.path()).isEqualTo("/zones/zone-1/catalog_tasks/task-1");
        });
        assertThat(task.links()).singleElement().satisfies(l -> {
            assertThat(l.rel()).isEqualTo("adopted");
            assertThat(l.titles()).containsEntry("en", "App 1");
        });
    }

    @Test
    void changesTakeEffectOnTheNextRequest() {
        ScriptedTask script = sim.task("zone-1", "task-1").running(Duration.ofMinutes(1));
        assertThat(retrieve("task-1").status()).isEqualTo(TaskStatus.RUNNING);

        script.running(Duration.ZERO).fails("boom");

        assertThat(retrieve("task-1").errorMessage()).isEqualTo("boom");
        script.completes("install-2");
        assertThat(retrieve("task-1").installId()).isEqualTo("install-2");
    }

    @Test
    void veryLongPhasesAreAllowed() {
        sim.task("zone-1", "task-1").running(Duration.ofSeconds(Long.MAX_VALUE));

        assertThat(retrieve("task-1").status()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void invalidScriptsAreRefusedWhenScripted() {
        ScriptedTask script = sim.task("zone-1", "task-1");

        assertThatThrownBy(() -> script.pending(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pending");
        assertThatThrownBy(() -> script.running(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("running");
        assertThatThrownBy(() -> script.notFoundFor(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> script.fault(0, Fault.reset()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nth");
        assertThatThrownBy(() -> script.randomFaults(1.5, 1L, Fault.reset()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> script.randomFaults(0.5, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> script.operation(TaskOperation.UNKNOWN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> script.retryAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
