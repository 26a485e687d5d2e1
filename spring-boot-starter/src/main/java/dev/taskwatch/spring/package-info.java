/**
 * Spring Boot auto-configuration of a {@link dev.taskwatch.core.CatalogTasksClient} and a
 * {@link dev.taskwatch.reactor.TaskWatcher} from {@code taskwatch.*} properties: see
 * {@link dev.taskwatch.spring.TaskwatchProperties}. Add the starter and inject the watcher. With Actuator, the
 * {@link dev.taskwatch.spring.TaskwatchEndpoint} ({@code /actuator/taskwatch}) lists the active watches.
 */
@NullMarked
package dev.taskwatch.spring;

import org.jspecify.annotations.NullMarked;
