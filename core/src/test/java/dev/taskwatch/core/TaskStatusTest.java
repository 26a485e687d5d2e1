package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskStatusTest {

    @ParameterizedTest
    @CsvSource({"pending, PENDING", "running, RUNNING", "completed, COMPLETED", "failed, FAILED"})
    void knownWireValuesMapBothWays(String wire, TaskStatus status) {
        assertThat(TaskStatus.fromWire(wire)).isEqualTo(status);
        assertThat(status.wireValue()).isEqualTo(wire);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "paused", "PENDING", " running", "Completed"})
    void anythingElseIsUnknown(String wire) {
        assertThat(TaskStatus.fromWire(wire)).isEqualTo(TaskStatus.UNKNOWN);
    }

    @Test
    void unknownHasNoWireValue() {
        assertThat(TaskStatus.UNKNOWN.wireValue()).isNull();
    }

    @ParameterizedTest
    @EnumSource(names = {"COMPLETED", "FAILED"})
    void completedAndFailedAreTerminal(TaskStatus status) {
        assertThat(status.isTerminal()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(names = {"PENDING", "RUNNING", "UNKNOWN"})
    void othersAreNotTerminal(TaskStatus status) {
        assertThat(status.isTerminal()).isFalse();
    }

    @Test
    void ranksFollowTheLifecycleWithUnknownBesideRunning() {
        assertThat(TaskStatus.PENDING.rank()).isLessThan(TaskStatus.RUNNING.rank());
        assertThat(TaskStatus.UNKNOWN.rank()).isEqualTo(TaskStatus.RUNNING.rank());
        assertThat(TaskStatus.RUNNING.rank()).isLessThan(TaskStatus.COMPLETED.rank());
        assertThat(TaskStatus.COMPLETED.rank()).isEqualTo(TaskStatus.FAILED.rank());
    }
}
