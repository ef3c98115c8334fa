package mp4j.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code launcher} command: one subcommand per file of the Python lecture, plus tools.
 * Exit codes: 0 success, 1 failure, 2 usage error (picocli's convention).
 */
@Command(
    name = "launcher",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "mp4j: Python's multiprocessing for the JVM, across worker JVMs sharing memory-mapped files.",
    subcommands = {
        DaemonCommand.class,
        InspectCommand.class,
        CleanCommand.class,
        BenchCommand.class,
        ShmCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Launcher implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int execute(final String... args)
    {
        StaleSessions.cleanQuietly();
        return commandLine().execute(args);
    }

    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new Launcher());
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        return commandLine;
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: try 'launcher --help'");
    }
}
