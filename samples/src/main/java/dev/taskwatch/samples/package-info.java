/**
 * The {@code taskwatch} command ({@code demo}, {@code wait}) and one-class recipes, each runnable against the
 * simulator.
 */
@NullMarked
package dev.taskwatch.samples;

import org.jspecify.annotations.NullMarked;
