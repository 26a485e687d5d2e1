package dev.taskwatch.samples;

import dev.taskwatch.core.CatalogException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.internal.SafeText;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code taskwatch get}: one request for a task's status, printed, and an exit code a script can branch on: 0
 * completed, 1 failed, 5 still pending or running, 4 API or protocol error, 2 invalid usage or input.
 */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Get a catalog task's status with one request.",
        footer = {
            "",
            "Exit codes:",
            "  0  the task completed",
            "  1  the task failed",
            "  2  invalid usage or input",
            "  4  an API or protocol error (a 404 too: get does not wait for visibility)",
            "  5  still pending or running (or a status this version does not know)",
            "",
            "Credentials come from the environment only: KEYCARD_API_API_KEY, or KEYCARD_API_CLIENT_ID and"
                    + " KEYCARD_API_CLIENT_SECRET. They are never printed."
        })
final class GetCommand implements Callable<Integer> {

    @Option(names = "--zone", required = true, description = "Zone id.")
    String zone;

    @Option(names = "--task", required = true, description = "Task id.")
    String task;

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(
            names = "--output",
            defaultValue = "text",
            description = "text (one readable line) or json (the Task object, API field names).")
    WaitCommand.Output output;

    private final Io io;
    private final ConsoleWriter console;

    GetCommand(Io io, ConsoleWriter console) {
        this.io = io;
        this.console = console;
    }

    @Override
    public Integer call() {
        try (CatalogTasksClient client = api.client(io.env())) {
            // Checked before the request; an invalid id is a usage error, thrown as IllegalArgumentException.
            CatalogTasksClient.requireValidId(zone, "zoneId");
            CatalogTasksClient.requireValidId(task, "taskId");
            Task t;
            try {
                // The main thread waits for the one answer; the response timeout bounds it.
                t = client.retrieve(zone, task).block(api.requestTimeout.plusSeconds(5));
            } catch (CatalogException e) {
                console.errLine(TaskwatchCommand.diagnostic(e.getMessage()));
                return ExitCode.API_ERROR;
            }
            if (t == null) {
                console.errLine(TaskwatchCommand.diagnostic("no answer"));
                return ExitCode.API_ERROR;
            }
            if (output == WaitCommand.Output.json) {
                console.outLine(t.toJson());
            } else {
                StringBuilder line = new StringBuilder(SafeText.escape(zone + "/" + task, 300))
                        .append("  ")
                        .append(SafeText.escape(t.statusValue(), 64));
                TransitionPrinter.describe(t, line);
                console.outLine(line.toString());
            }
            if (t.status() == TaskStatus.COMPLETED) {
                return ExitCode.COMPLETED;
            }
            return t.status() == TaskStatus.FAILED ? ExitCode.FAILED : ExitCode.NOT_TERMINAL;
        }
    }
}
