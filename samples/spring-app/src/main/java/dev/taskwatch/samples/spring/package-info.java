/**
 * A runnable Spring WebFlux app on the taskwatch starter: task transitions as Server-Sent Events, an endpoint that
 * awaits a task's end, and {@code /actuator/taskwatch}.
 */
@NullMarked
package dev.taskwatch.samples.spring;

import org.jspecify.annotations.NullMarked;
