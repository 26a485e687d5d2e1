package dev.taskwatch.temporal;

import io.temporal.activity.ActivityInterface;

/**
 * The install calls of {@link InstallPackagesWorkflow}, which this project does not make itself (the catalog's POST is
 * not part of taskwatch): implement them with your catalog client. Both should be idempotent, as Temporal may retry
 * them.
 */
@ActivityInterface
public interface PackageInstallActivities {

    /**
     * Starts installing a package and returns the id of the catalog task that tracks it.
     *
     * @param zoneId the zone to install into, as given to {@link InstallPackagesWorkflow#install}
     * @param packageSlug one of the slugs given to {@link InstallPackagesWorkflow#install}
     * @return the task id, which {@link CatalogTaskActivities#awaitTask} then awaits: 1–128 characters of {@code [A-Za-z0-9._~-]}, not {@code .} or {@code ..}
     */
    String startInstall(String zoneId, String packageSlug);

    /**
     * Removes an install that completed: the compensation when another install of the same run failed.
     *
     * @param zoneId the zone the package was installed into
     * @param installId the {@link TerminalTask#installId()} of the completed install task; installs whose task
     *     reported none are not rolled back
     */
    void uninstall(String zoneId, String installId);
}
