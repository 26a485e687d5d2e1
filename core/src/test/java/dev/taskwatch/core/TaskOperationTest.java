package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskOperationTest {

    @ParameterizedTest
    @CsvSource({"create, CREATE", "delete, DELETE"})
    void knownWireValuesMapBothWays(String wire, TaskOperation operation) {
        assertThat(TaskOperation.fromWire(wire)).isEqualTo(operation);
        assertThat(operation.wireValue()).isEqualTo(wire);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "upgrade", "CREATE"})
    void anythingElseIsUnknownWithoutAWireValue(String wire) {
        assertThat(TaskOperation.fromWire(wire)).isEqualTo(TaskOperation.UNKNOWN);
        assertThat(TaskOperation.UNKNOWN.wireValue()).isNull();
    }
}
