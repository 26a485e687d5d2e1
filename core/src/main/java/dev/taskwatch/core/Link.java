package dev.taskwatch.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A link from a task to a related resource.
 *
 * @param href the target: a fragment ({@code #name}) for an entity in the same graph, or an absolute path or URL
 * @param rel the link relation type
 * @param properties additional metadata; values are JSON values as plain Java ({@code String}, {@code Number},
 *     {@code Boolean}, {@code List}, {@code Map}, or {@code null})
 * @param titles human-readable titles keyed by BCP 47 language tag
 * @param type the media type of an external target
 */
public record Link(
        String href,
        String rel,
        Map<String, @Nullable Object> properties,
        Map<String, String> titles,
        @Nullable String type) {

    /** Creates a link, copying the maps. */
    public Link {
        Objects.requireNonNull(href, "href");
        Objects.requireNonNull(rel, "rel");
        // Map.copyOf refuses null values, which JSON properties may hold.
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        titles = Map.copyOf(titles);
    }
}
