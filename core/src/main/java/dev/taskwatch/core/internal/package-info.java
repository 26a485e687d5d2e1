/**
 * Shared by taskwatch's own modules; not a supported API. Types here may change in any release and are excluded from
 * the public API check (japicmp).
 */
@NullMarked
package dev.taskwatch.core.internal;

import org.jspecify.annotations.NullMarked;
