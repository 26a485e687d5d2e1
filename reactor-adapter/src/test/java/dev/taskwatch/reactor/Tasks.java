package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.Warning;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Test data. */
final class Tasks {

    static final String ZONE = "zone-1";
    static final String TASK = "task-1";
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * 1 s × 2 up to 10 s without jitter: delays of 1, 2, 4, 8, 10, 10 … s, so that a test's expected request times
     * are easy to read and do not move when the defaults do.
     */
    static final WatchOptions ONE_TWO_TEN = WatchOptions.defaults()
            .initialDelay(Duration.ofSeconds(1))
            .multiplier(2)
            .maxDelay(Duration.ofSeconds(10))
            .jitter(0);

    private Tasks() {}

    /** A full task as a 200 reports it. */
    static Task task(String status) {
        return new Task(
                TASK,
                CREATED,
                "create",
                status,
                CREATED.plusSeconds(1),
                null,
                null,
                List.of(),
                "pkg-1",
                "my-package",
                BigDecimal.valueOf(3),
                List.of());
    }

    /** A task known only by its id and raw status, as a resume point or a redirect knows it. */
    static Task bare(String taskId, String status) {
        return new Task(taskId, null, null, status, null, null, null, List.of(), null, null, null, List.of());
    }

    static CatalogTasksClient.Response response(String status) {
        return new CatalogTasksClient.Response(task(status), null);
    }

    static CatalogTasksClient.Response response(String status, Duration retryAfter) {
        return new CatalogTasksClient.Response(task(status), retryAfter);
    }

    /** What a 303 gives: id, status and install id only. */
    static CatalogTasksClient.Response redirect(String installId) {
        return new CatalogTasksClient.Response(Task.of(TASK, TaskStatus.COMPLETED, installId), null);
    }

    static Task failed(String errorMessage, int warnings) {
        Task t = task("failed");
        List<Warning> ws = java.util.stream.IntStream.range(0, warnings)
                .mapToObj(i -> new Warning("conflict", List.of(), "kept entity " + i, null, null, 409, null))
                .toList();
        return new Task(
                t.id(),
                t.createdAt(),
                t.operationValue(),
                "failed",
                t.updatedAt(),
                errorMessage,
                null,
                List.of(),
                t.packageId(),
                t.packageSlug(),
                t.packageVersion(),
                ws);
    }

    static CatalogApiException apiError(int status) {
        return apiError(status, null);
    }

    static CatalogApiException apiError(int status, @Nullable Duration retryAfter) {
        return new CatalogApiException(
                "GET /zones/" + ZONE + "/catalog_tasks/" + TASK, status, null, "scripted", List.of(), null, retryAfter);
    }
}
