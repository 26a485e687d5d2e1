package dev.taskwatch.temporal;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The smallest workflow that runs {@link CatalogTaskActivities#awaitTask}: the activities' tests drive it. */
@WorkflowInterface
public interface AwaitOneWorkflow {

    @WorkflowMethod
    TerminalTask await(String zoneId, String taskId);

    /** Calls the activity with the options it is made with. */
    final class Impl implements AwaitOneWorkflow {
        private final CatalogTaskActivities tasks;

        Impl(ActivityOptions options) {
            this.tasks = Workflow.newActivityStub(CatalogTaskActivities.class, options);
        }

        @Override
        public TerminalTask await(String zoneId, String taskId) {
            return tasks.awaitTask(zoneId, taskId);
        }
    }
}
