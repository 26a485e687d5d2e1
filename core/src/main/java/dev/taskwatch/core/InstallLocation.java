package dev.taskwatch.core;

import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/** Reads the install id from a 303's {@code Location}; never follows it. */
final class InstallLocation {

    private InstallLocation() {}

    /**
     * The last path segment of {@code …/installs/{install_id}}, if it is a valid id and follows an {@code installs}
     * segment. A missing or unreadable {@code Location} gives {@code null}: the 303 still means completed.
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
        int slash = path.lastIndexOf('/');
        String last = path.substring(slash + 1);
        // Only a path of the documented form names an install: a Location pointing back at the task
        // (.../catalog_tasks/task-1) or at a login page (https://sso.example/login) must not turn "task-1" or "login"
        // into an install id.
        String parent = slash < 0 ? "" : path.substring(0, slash);
        if (!parent.endsWith("/installs") && !parent.equals("installs")) {
            return null;
        }
        try {
            return RequestValues.requireId(last, "installId");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
