package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorCodeTest {

    @ParameterizedTest
    @CsvSource({
        "validation_error, VALIDATION_ERROR",
        "bad_request, BAD_REQUEST",
        "unauthorized, UNAUTHORIZED",
        "forbidden, FORBIDDEN",
        "not_found, NOT_FOUND",
        "conflict, CONFLICT",
        "rate_limit_exceeded, RATE_LIMIT_EXCEEDED",
        "internal_error, INTERNAL_ERROR",
        "service_unavailable, SERVICE_UNAVAILABLE"
    })
    void everyDocumentedCodeMapsBothWays(String wire, ErrorCode code) {
        assertThat(ErrorCode.fromWire(wire)).isEqualTo(code);
        assertThat(code.wireValue()).isEqualTo(wire);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "quota_exceeded", "NOT_FOUND"})
    void anythingElseIsUnknown(String wire) {
        assertThat(ErrorCode.fromWire(wire)).isEqualTo(ErrorCode.UNKNOWN);
    }
}
