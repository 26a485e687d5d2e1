package dev.taskwatch.core.internal;

import dev.taskwatch.core.CatalogTasksClient;

/**
 * The task status request, {@code GET {base path}/zones/{zone_id}/catalog_tasks/{task_id}}, spelled by one rule for
 * the client that sends it and for the watcher that reports on it (an exchange that ended without an answer).
 *
 * <p>In an {@code internal} package: public only so that taskwatch's own modules name the request alike. Not a
 * supported API: it may change in any release and is outside the compatibility check.
 */
public final class TaskRequests {

    private TaskRequests() {}

    /** A client that sends its requests under a base URL's path; the client {@link CatalogTasksClient#builder()} builds. */
    public interface Prefixed {
        /** The base URL's path, such as {@code /v1}: empty or starting with {@code /}, never ending with one. */
        String pathPrefix();
    }

    /** The path of a task's status under {@code prefix} (a {@link Prefixed#pathPrefix()}). */
    public static String path(String prefix, String zoneId, String taskId) {
        return prefix + "/zones/" + zoneId + "/catalog_tasks/" + taskId;
    }

    /** The request line for messages, such as {@code GET /v1/zones/z1/catalog_tasks/t1}, of a {@link #path}. */
    public static String line(String path) {
        return "GET " + path;
    }

    /**
     * The request line {@code client} sends for a task. A client that is not {@link Prefixed} (a scripted one, a
     * wrapper) knows no base URL, so its line has no prefix.
     */
    public static String line(CatalogTasksClient client, String zoneId, String taskId) {
        return line(path(client instanceof Prefixed p ? p.pathPrefix() : "", zoneId, taskId));
    }
}
