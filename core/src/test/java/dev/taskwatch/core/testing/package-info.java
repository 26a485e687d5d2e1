/**
 * Test support that every module's tests share, shipped in {@code taskwatch-core}'s test-jar (type {@code test-jar},
 * scope {@code test}) next to the test guard: made once here so that no module keeps a copy of its own.
 *
 * <ul>
 *   <li>{@link dev.taskwatch.core.testing.Await}: wait, bounded, for what another thread does.
 *   <li>{@link dev.taskwatch.core.testing.BlockHoundCheck}: proof that BlockHound is watching, so a non-blocking test
 *       can fail.
 *   <li>{@link dev.taskwatch.core.testing.LogSafety}: what a message must be, and must not contain, before it is
 *       logged.
 *   <li>{@link dev.taskwatch.core.testing.TestCertificates}: key and trust stores made by {@code keytool} at test time.
 *   <li>{@link dev.taskwatch.core.testing.TestClock}: a clock moved by hand.
 * </ul>
 *
 * <p>No module puts its own classes into this package.
 */
@NullMarked
package dev.taskwatch.core.testing;

import org.jspecify.annotations.NullMarked;
