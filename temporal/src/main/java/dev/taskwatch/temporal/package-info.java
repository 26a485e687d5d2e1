/**
 * Durable waits for Keycard catalog tasks as Temporal activities: {@link dev.taskwatch.temporal.CatalogTaskActivities}
 * awaits a task with a {@link dev.taskwatch.reactor.TaskWatcher}, heartbeats its resume token, and picks the wait up
 * from the last heartbeat when Temporal retries it on another worker. {@link
 * dev.taskwatch.temporal.InstallPackagesWorkflow} is a recipe built on it: install packages in parallel, fail fast,
 * roll back what completed.
 */
@NullMarked
package dev.taskwatch.temporal;

import org.jspecify.annotations.NullMarked;
