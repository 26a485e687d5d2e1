package dev.taskwatch.core;

import static dev.taskwatch.core.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskJsonTest {

    @Test
    void decodesEveryFieldOfTheApiPage() {
        Task task = Task.fromJson(read("task-running-all-fields.json"));

        assertThat(task.id()).isEqualTo("task-0002");
        assertThat(task.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.250Z"));
        assertThat(task.operation()).isEqualTo(TaskOperation.CREATE);
        assertThat(task.operationValue()).isEqualTo("create");
        assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(task.statusValue()).isEqualTo("running");
        assertThat(task.updatedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:05.500Z"));
        assertThat(task.errorMessage()).isEqualTo("retrying a flaky step");
        assertThat(task.installId()).isEqualTo("inst-42");
        assertThat(task.packageId()).isEqualTo("pkg-7");
        assertThat(task.packageSlug()).isEqualTo("github");
        assertThat(task.packageVersion()).isEqualByComparingTo(BigDecimal.valueOf(12));

        assertThat(task.links()).hasSize(2);
        Task.Link app = task.links().get(0);
        assertThat(app.href()).isEqualTo("#github-app");
        assertThat(app.rel()).isEqualTo("member");
        assertThat(app.type()).isEqualTo("application/json");
        assertThat(app.titles()).containsExactlyInAnyOrderEntriesOf(Map.of("en", "GitHub App", "de-CH", "GitHub-App"));
        assertThat(app.properties())
                .containsEntry("kind", "app")
                .containsEntry("replicas", 3)
                .containsEntry("ratio", new BigDecimal("0.75"))
                .containsEntry("enabled", true)
                .containsEntry("owner", null)
                .containsEntry("tags", List.of("a", "b"))
                .containsEntry("limits", Map.of("cpu", "500m", "memory", 256));
        Task.Link docs = task.links().get(1);
        assertThat(docs.href()).isEqualTo("https://docs.example.com/packages/github");
        assertThat(docs.rel()).isEqualTo("describedby");
        assertThat(docs.properties()).isEmpty();
        assertThat(docs.titles()).isEmpty();
        assertThat(docs.type()).isNull();

        assertThat(task.warnings()).hasSize(1);
        Warning warning = task.warnings().get(0);
        assertThat(warning.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(warning.message()).isEqualTo("an entity with this name already exists");
        assertThat(warning.path()).isEqualTo("https://api.keycard.ai/zones/zone-1/catalog_tasks/task-0002");
        assertThat(warning.requestId()).isEqualTo("0b7c6f5e-3c1a-4d8e-9f10-5a1b2c3d4e5f");
        assertThat(warning.status()).isEqualTo(409);
        assertThat(warning.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:00:05Z"));
        assertThat(warning.details())
                .containsExactly(new Warning.Detail("validation_error", "$.resources[0].name", "name already taken"));
        assertThat(warning.details().get(0).code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }

    @Test
    void absentOptionalFieldsAreNullAndListsEmpty() {
        Task task = Task.fromJson(read("task-pending.json"));

        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(task.errorMessage()).isNull();
        assertThat(task.installId()).isNull();
        assertThat(task.packageId()).isNull();
        assertThat(task.packageSlug()).isNull();
        assertThat(task.packageVersion()).isNull();
        assertThat(task.links()).isNotNull().isEmpty();
        assertThat(task.warnings()).isNotNull().isEmpty();
    }

    @Test
    void explicitNullListsAreEmpty() {
        Task task = Task.fromJson(
                "{\"id\":\"t\",\"status\":\"running\",\"links\":null,\"warnings\":null,\"error_message\":null}");

        assertThat(task.links()).isEmpty();
        assertThat(task.warnings()).isEmpty();
        assertThat(task.errorMessage()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "task-pending.json, PENDING, CREATE",
        "task-running-all-fields.json, RUNNING, CREATE",
        "task-completed-delete.json, COMPLETED, DELETE",
        "task-failed.json, FAILED, CREATE"
    })
    void decodesEveryStatusAndOperation(String fixture, TaskStatus status, TaskOperation operation) {
        Task task = Task.fromJson(read(fixture));

        assertThat(task.status()).isEqualTo(status);
        assertThat(task.statusValue()).isEqualTo(status.wireValue());
        assertThat(task.operation()).isEqualTo(operation);
        assertThat(task.operationValue()).isEqualTo(operation.wireValue());
    }

    @Test
    void failedTaskCarriesItsErrorMessage() {
        Task task = Task.fromJson(read("task-failed.json"));

        assertThat(task.status().isTerminal()).isTrue();
        assertThat(task.errorMessage()).isEqualTo("package github@12 could not be installed: quota exceeded");
    }

    @Test
    void deleteTaskCarriesAdoptedEntityWarning() {
        Task task = Task.fromJson(read("task-completed-delete.json"));

        assertThat(task.warnings()).singleElement().satisfies(w -> {
            assertThat(w.message()).contains("will be preserved, not deleted");
            assertThat(w.details()).isEmpty();
            assertThat(w.status()).isEqualTo(200);
        });
    }

    @Test
    void decodesEveryErrorCode() {
        Task task = Task.fromJson(read("task-every-warning-code.json"));

        List<ErrorCode> known = Arrays.stream(ErrorCode.values())
                .filter(c -> c != ErrorCode.UNKNOWN)
                .toList();
        assertThat(task.warnings()).extracting(Warning::code).containsExactlyElementsOf(known);
        assertThat(task.warnings()).extracting(w -> w.details().get(0).code()).containsExactlyElementsOf(known);
    }

    @Test
    void unknownEnumValuesDecodeToUnknownAndKeepTheRawValue() {
        Task task = Task.fromJson(read("task-unknown-values.json"));

        assertThat(task.status()).isEqualTo(TaskStatus.UNKNOWN);
        assertThat(task.statusValue()).isEqualTo("paused");
        assertThat(task.operation()).isEqualTo(TaskOperation.UNKNOWN);
        assertThat(task.operationValue()).isEqualTo("upgrade");
        Warning warning = task.warnings().get(0);
        assertThat(warning.code()).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(warning.codeValue()).isEqualTo("deprecated_package");
        assertThat(warning.details().get(0).code()).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(warning.details().get(0).codeValue()).isEqualTo("shiny_new_code");
    }

    @Test
    void knownStatusAndOperationDecodeToTheSharedWireValues() {
        Task task = Task.fromJson(read("task-completed-delete.json"));

        assertThat(task.statusValue()).isSameAs(TaskStatus.COMPLETED.wireValue());
        assertThat(task.operationValue()).isSameAs(TaskOperation.DELETE.wireValue());
    }

    @Test
    void unknownEnumValuesReSerialiseUnchanged() {
        String encoded = (Task.fromJson(read("task-unknown-values.json"))).toJson();

        assertThat(encoded)
                .contains("\"status\":\"paused\"")
                .contains("\"operation\":\"upgrade\"")
                .contains("\"code\":\"deprecated_package\"")
                .contains("\"code\":\"shiny_new_code\"");
    }

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() {
        Task task = Task.fromJson(read("task-unknown-values.json"));

        assertThat(task.id()).isEqualTo("task-0006");
        assertThat(task.links())
                .singleElement()
                .satisfies(l -> assertThat(l.href()).isEqualTo("#x"));
        assertThat(task.toJson()).doesNotContain("priority", "progress", "etag", "severity", "hint");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "task-pending.json",
                "task-running-all-fields.json",
                "task-completed-delete.json",
                "task-failed.json",
                "task-every-warning-code.json",
                "task-unknown-values.json"
            })
    void encodeThenDecodeGivesTheSameTask(String fixture) {
        Task task = Task.fromJson(read(fixture));

        assertThat(Task.fromJson(task.toJson())).isEqualTo(task);
    }

    @Test
    void encodesApiFieldNamesAndOmitsAbsentFields() {
        Task task = Task.of("t1", TaskStatus.COMPLETED, "inst-9");

        assertThat(task.toJson()).isEqualTo("{\"id\":\"t1\",\"status\":\"completed\",\"install_id\":\"inst-9\"}");
    }

    @Test
    void encodesOnOneLineWithUtcTimestamps() {
        String encoded = (Task.fromJson(read("task-running-all-fields.json"))).toJson();

        assertThat(encoded)
                .doesNotContain("\n")
                .contains("\"created_at\":\"2026-03-01T10:00:00.250Z\"")
                .contains("\"package_version\":12")
                .contains("\"package_slug\":\"github\"")
                .contains("\"error_message\":\"retrying a flaky step\"");
    }

    @ParameterizedTest
    @CsvSource({
        "2026-03-01T10:00:00Z, 2026-03-01T10:00:00Z",
        "2026-03-01t10:00:00z, 2026-03-01T10:00:00Z",
        "2026-03-01T12:00:00+02:00, 2026-03-01T10:00:00Z",
        "2026-03-01T05:30:00-04:30, 2026-03-01T10:00:00Z",
        "2026-03-02T00:00:00+14:00, 2026-03-01T10:00:00Z",
        "2026-03-01T10:00:00+00:00, 2026-03-01T10:00:00Z",
        "2026-03-01T10:00:00-00:00, 2026-03-01T10:00:00Z",
        "2026-03-01T10:00:00.123456789Z, 2026-03-01T10:00:00.123456789Z",
        "2026-03-01T11:00:00.5+01:00, 2026-03-01T10:00:00.5Z"
    })
    void timestampsAcceptAnyOffset(String wire, Instant expected) {
        Task task = Task.fromJson("{\"id\":\"t\",\"status\":\"running\",\"created_at\":\"" + wire + "\"}");

        assertThat(task.createdAt()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-01T10:00:00", "2026-03-01", "2026-13-01T10:00:00Z", "yesterday", "1772359200"})
    void timestampsWithoutAnOffsetOrInvalidAreRejected(String wire) {
        assertThatThrownBy(() -> Task.fromJson("{\"id\":\"t\",\"status\":\"running\",\"updated_at\":\"" + wire + "\"}"))
                .isInstanceOf(CatalogProtocolException.class)
                .hasMessageContaining("updated_at");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "malformed-truncated.json | not valid JSON",
                "malformed-wrong-types.json | field 'status' must be a string",
                "malformed-missing-id.json | missing required field 'id'",
                "malformed-missing-status.json | missing required field 'status'",
                "malformed-array-root.json | expected a JSON object, got array",
                "malformed-duplicate-keys.json | Duplicate Object property \"status\""
            })
    void malformedFixturesFailWithAClearProtocolException(String fixture, String reason) {
        assertThatThrownBy(() -> Task.fromJson(read(fixture)))
                .isInstanceOf(CatalogProtocolException.class)
                .hasMessageStartingWith("invalid Task JSON: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((CatalogException) e).isTransient()).isFalse());
    }

    static Stream<Arguments> malformedDocuments() {
        String t = "\"id\":\"t\",\"status\":\"running\"";
        return Stream.of(
                arguments("", "empty body"),
                arguments("   ", "expected a JSON object"),
                arguments("null", "expected a JSON object, got null"),
                arguments("\"task\"", "expected a JSON object, got string"),
                arguments("42", "expected a JSON object, got number"),
                arguments("{" + t + "} {}", "not valid JSON"),
                arguments("{\"id\":7,\"status\":\"running\"}", "field 'id' must be a string, got number"),
                arguments("{" + t + ",\"links\":{}}", "field 'links' must be an array, got object"),
                arguments("{" + t + ",\"links\":[\"#x\"]}", "'links[]' must be an object"),
                arguments("{" + t + ",\"links\":[{\"rel\":\"x\"}]}", "missing required field 'href'"),
                arguments("{" + t + ",\"warnings\":[{\"status\":\"409\"}]}", "field 'status' must be an integer"),
                arguments("{" + t + ",\"package_version\":\"12\"}", "field 'package_version' must be a number"),
                arguments(
                        "{" + t + ",\"links\":[{\"href\":\"#x\",\"rel\":\"y\",\"titles\":{\"en\":1}}]}",
                        "titles.en must be a string"));
    }

    @ParameterizedTest
    @MethodSource("malformedDocuments")
    void malformedDocumentsFailWithAClearProtocolException(String json, String reason) {
        assertThatThrownBy(() -> Task.fromJson(json))
                .isInstanceOf(CatalogProtocolException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void deepNestingFailsFastWithAProtocolException() {
        String deep = "{\"id\":\"t\",\"status\":\"running\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThatThrownBy(() -> Task.fromJson(deep))
                .isInstanceOf(CatalogProtocolException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void invalidUtf8IsAProtocolError() {
        byte[] head = "{\"id\":\"t\",\"status\":\"run".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] tail = "ning\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] json = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, json, 0, head.length);
        json[head.length] = (byte) 0xC3; // a lead byte followed by a byte that cannot continue it
        json[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, json, head.length + 2, tail.length);

        assertThatThrownBy(() -> TaskDecoder.decodeTask(json))
                .isInstanceOf(StrictJson.MalformedException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void messagesNameTheProblemNotTheWholeDocument() {
        String secretish = "x".repeat(5_000);

        assertThatThrownBy(() ->
                        Task.fromJson("{\"id\":\"t\",\"status\":\"running\",\"created_at\":\"" + secretish + "\"}"))
                .isInstanceOf(CatalogProtocolException.class)
                .message()
                .hasSizeLessThan(300);
    }

    @Test
    void linkPropertiesOfEveryJsonKindAreWrittenAsJson() {
        Map<String, Object> nested = new java.util.LinkedHashMap<>();
        nested.put("n", null);
        nested.put("list", List.of(1, 2L, new BigDecimal("2.50"), 0.5, true, "x"));
        Task task = new Task(
                "t1",
                null,
                null,
                "running",
                null,
                null,
                null,
                List.of(new Task.Link("#a", "member", Map.of("nested", nested), Map.of("en", "A"), null)),
                null,
                null,
                null,
                List.of());

        assertThat(task.toJson())
                .isEqualTo("{\"id\":\"t1\",\"status\":\"running\",\"links\":[{\"href\":\"#a\",\"rel\":\"member\","
                        + "\"properties\":{\"nested\":{\"n\":null,\"list\":[1,2,2.50,0.5,true,\"x\"]}},"
                        + "\"titles\":{\"en\":\"A\"}}]}");
    }

    @Test
    void aLinkPropertyThatIsNoJsonValueIsRefusedByName() {
        Task task = new Task(
                "t1",
                null,
                null,
                "running",
                null,
                null,
                null,
                List.of(new Task.Link("#a", "member", Map.of("when", Instant.EPOCH), Map.of(), null)),
                null,
                null,
                null,
                List.of());

        assertThatThrownBy(task::toJson)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.time.Instant");
    }
}
