/**
 * A runnable demo of durable waits: {@code java -jar temporal/target/taskwatch-temporal-demo.jar}. Needs the optional
 * {@code temporal-testing} and {@code taskwatch-testkit} dependencies, which the demo jar carries.
 */
@NullMarked
package dev.taskwatch.temporal.demo;

import org.jspecify.annotations.NullMarked;
