/**
 * Benchmarks: the side-by-side comparison with peer pollers ({@link dev.taskwatch.benchmarks.PeerComparison}), the
 * request-efficiency study ({@link dev.taskwatch.benchmarks.RequestEfficiency}) and JMH benchmarks. Nothing here is
 * a library API.
 */
@NullMarked
package dev.taskwatch.benchmarks;

import org.jspecify.annotations.NullMarked;
