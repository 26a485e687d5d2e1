package dev.taskwatch.temporal;

import io.temporal.activity.ActivityInterface;

/**
 * The install calls of {@link InstallPackagesWorkflow}, which this project does not make itself (the catalog's POST is
 * not part of taskwatch): implement them with your catalog client. Both should be idempotent, as Temporal may retry
 * them.
 */
@ActivityInterface
public interface PackageInstallActivities {

    /** Starts installing a package and returns the id of the catalog task that tracks it. */
    String startInstall(String zoneId, String packageSlug);

    /** Removes an install that completed: the compensation when another install of the same run failed. */
    void uninstall(String zoneId, String installId);
}
