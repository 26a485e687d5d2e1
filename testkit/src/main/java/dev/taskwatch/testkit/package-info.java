/**
 * A scripted, fault-injecting Keycard catalog task API on loopback, for testing code that watches tasks.
 *
 * <p>Start with {@link dev.taskwatch.testkit.CatalogSimulator#start()}.
 */
@NullMarked
package dev.taskwatch.testkit;

import org.jspecify.annotations.NullMarked;
