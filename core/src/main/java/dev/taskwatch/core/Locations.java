package dev.taskwatch.core;

import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/** Reads the install id from a 303's {@code Location}; never follows it. */
final class Locations {

    private Locations() {}

    /**
     * The last path segment of {@code …/installs/{install_id}}, if it is a valid id. A missing or unreadable
     * {@code Location} gives {@code null}: the 303 still means completed.
     */
    static @Nullable String installId(@Nullable String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        String path;
        try {
            path = new URI(location.trim()).getRawPath();
        } catch (URISyntaxException e) {
            return null;
        }
        if (path == null) {
            return null;
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        try {
            return HeaderValues.requireId(last, "installId");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
