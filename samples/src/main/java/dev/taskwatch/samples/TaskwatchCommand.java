package dev.taskwatch.samples;

import dev.taskwatch.core.internal.SafeText;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import reactor.core.scheduler.Scheduler;

/**
 * The {@code taskwatch} command: {@code demo} runs everything against an embedded simulator, {@code wait} waits on
 * tasks for deployment automation (exit codes: 0 met, 1 failed, 2 invalid usage or input, 3 timed out, 4 API or
 * protocol error), {@code get} reads a task once (5: not ended yet), {@code generate-completion} prints a bash/zsh
 * completion script.
 */
@Command(
        name = "taskwatch",
        mixinStandardHelpOptions = true,
        versionProvider = TaskwatchCommand.Version.class,
        description = "Watch Keycard catalog tasks.",
        subcommands = CommandLine.HelpCommand.class)
public final class TaskwatchCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private TaskwatchCommand() {}

    public static void main(String[] args) {
        System.exit(execute(args, Io.system()));
    }

    static int execute(String[] args, Io io) {
        return execute(args, io, null);
    }

    /**
     * @param timer the scheduler {@code wait} times its polls on, or null for the library's default (tests pass a
     *     virtual-time one)
     */
    static int execute(String[] args, Io io, @Nullable Scheduler timer) {
        // Every line the command prints goes through one writer thread, in order; closing it writes out the rest.
        try (ConsoleWriter console = new ConsoleWriter(io.out(), io.err())) {
            CommandLine cli = new CommandLine(new TaskwatchCommand())
                    .addSubcommand(new DemoCommand(console))
                    .addSubcommand(new WaitCommand(io, console, timer))
                    .addSubcommand(new GetCommand(io, console))
                    .addSubcommand("generate-completion", new AutoComplete.GenerateCompletion());
            // Listed in the help: picocli hides it by default, but a release engineer should find it.
            cli.getSubcommands()
                    .get("generate-completion")
                    .getCommandSpec()
                    .usageMessage()
                    .hidden(false);
            cli.setOut(new PrintWriter(console.writer(false), true));
            cli.setErr(new PrintWriter(console.writer(true), true));
            cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                console.errLine(diagnostic(e.getMessage()));
                // Anything unexpected is reported as an API error rather than success or "failed task".
                return e instanceof IllegalArgumentException ? ExitCode.USAGE : ExitCode.API_ERROR;
            });
            return cli.execute(args);
        }
    }

    /** A diagnostic line for standard error: prefixed, and escaped, since it usually quotes the server or the caller. */
    static String diagnostic(@Nullable String text) {
        return "taskwatch: " + SafeText.escape(String.valueOf(text), 2000);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing command: demo, wait, get or generate-completion");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TaskwatchCommand.class.getPackage().getImplementationVersion();
            return new String[] {"taskwatch " + (v == null ? "dev" : v)};
        }
    }
}
