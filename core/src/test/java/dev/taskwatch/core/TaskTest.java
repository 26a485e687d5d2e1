package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {

    private final Task running = Task.fromJson(Fixtures.read("task-running-all-fields.json"));

    @Test
    void ofCarriesOnlyIdStatusAndInstallId() {
        Task task = Task.of("t1", TaskStatus.COMPLETED, "inst-1");

        assertThat(task.id()).isEqualTo("t1");
        assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(task.installId()).isEqualTo("inst-1");
        assertThat(task.createdAt()).isNull();
        assertThat(task.operationValue()).isNull();
        assertThat(task.operation()).isEqualTo(TaskOperation.UNKNOWN);
        assertThat(task.links()).isEmpty();
        assertThat(task.warnings()).isEmpty();
    }

    @Test
    void unknownStatusHasNoWireValueToBuildFrom() {
        assertThatThrownBy(() -> Task.of("t1", TaskStatus.UNKNOWN, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no wire value");
    }

    @Test
    void listsAreUnmodifiableCopies() {
        List<Task.Link> links = new ArrayList<>();
        Task task = new Task("t", null, null, "running", null, null, null, links, null, null, null, List.of());
        links.add(new Task.Link("#x", "member", java.util.Map.of(), java.util.Map.of(), null));

        assertThat(task.links()).isEmpty();
        assertThatThrownBy(() -> task.warnings().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void idAndStatusAreRequired() {
        assertThatThrownBy(() ->
                        new Task(null, null, null, "running", null, null, null, List.of(), null, null, null, List.of()))
                .hasMessage("id");
        assertThatThrownBy(
                        () -> new Task("t", null, null, null, null, null, null, List.of(), null, null, null, List.of()))
                .hasMessage("statusValue");
    }
}
