/**
 * The Keycard catalog tasks client and its model.
 *
 * <p>Start with {@link dev.taskwatch.core.CatalogTasksClient#builder()}. Everything not public here is an
 * implementation detail.
 */
@NullMarked
package dev.taskwatch.core;

import org.jspecify.annotations.NullMarked;
