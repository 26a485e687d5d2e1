package dev.taskwatch.temporal;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * A recipe: install several packages in parallel, wait for all, and on the first failure stop waiting for the others
 * and uninstall the ones that completed.
 *
 * <pre>{@code
 * worker.registerWorkflowImplementationTypes(InstallPackagesWorkflowImpl.class);
 * worker.registerActivitiesImplementations(CatalogTaskActivitiesImpl.create(watcher), myInstalls);
 * InstallPackagesWorkflow flow = client.newWorkflowStub(InstallPackagesWorkflow.class, options);
 * List<TerminalTask> installed = flow.install("zone-1", List.of("postgres", "redis"));
 * }</pre>
 */
@WorkflowInterface
public interface InstallPackagesWorkflow {

    /**
     * Installs every package and returns their completed tasks, in the order of {@code packageSlugs}.
     *
     * <p>Fails (a non-retryable {@code ApplicationFailure} of type {@value InstallPackagesWorkflowImpl#INSTALL_FAILED})
     * as soon as one install fails or its wait ends in error: the other waits are cancelled, and every install that had
     * completed by then is uninstalled. The message names the package that failed and the installs rolled back.
     * Installs still running when the waits are cancelled are not rolled back: the catalog has not finished them.
     *
     * @param zoneId the zone to install into, passed to every activity
     * @param packageSlugs the packages to install, all at once; an empty list returns an empty list without calling
     *     any activity
     * @return the completed tasks, one per slug, in the same order
     */
    @WorkflowMethod
    List<TerminalTask> install(String zoneId, List<String> packageSlugs);
}
