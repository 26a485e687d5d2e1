/**
 * Watching catalog tasks as a Project Reactor {@link reactor.core.publisher.Flux} of status transitions.
 *
 * <p>Start with {@link dev.taskwatch.reactor.TaskWatcher#create(dev.taskwatch.core.CatalogTasksClient)}. Every error a
 * watch ends with is a {@link dev.taskwatch.reactor.WatchException}. Everything not public here is an
 * implementation detail.
 */
@NullMarked
package dev.taskwatch.reactor;

import org.jspecify.annotations.NullMarked;
