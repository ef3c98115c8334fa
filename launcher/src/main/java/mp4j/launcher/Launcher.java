package mp4j.launcher;

import mp4j.session.Session;
import mp4j.session.StaleSessions;
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
        LockValueCommand.class,
        LockArrayCommand.class,
        PoolCommand.class,
        PoolAsyncCommand.class,
        ThreadLocalCommand.class,
        ThreadLocalAdvCommand.class,
        ThreadQueueCommand.class,
        ManagerCommand.class,
        InspectCommand.class,
        ShmCommand.class,
        CleanCommand.class,
        BenchCommand.class,
        NodeCommand.class,
        ClusterCommand.class,
        ChaosRoundCommand.class,
        RunCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Launcher implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        final int exitCode = execute(args);
        if (exitCode == 0 && RunCommand.mainReturned())
        {
            return; // 'run': the JVM ends when the program's threads do, as with java MAIN
        }
        System.exit(exitCode);
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int execute(final String... args)
    {
        if (args.length == 0 || !"clean".equals(args[0]))
        {
            StaleSessions.cleanQuietly(); // as the design says: the launcher removes stale sessions at start
        }
        try
        {
            return commandLine().execute(args);
        }
        catch (final InternalError ex)
        {
            // HotSpot turns a SIGBUS on a mapped file (truncated by another process) into this error
            if (reportedDamage(ex, new java.io.PrintWriter(System.err, true)))
            {
                return 1;
            }
            throw ex;
        }
    }

    /**
     * When the command failed because a mapped file was cut under it (this process's session file, or a shared
     * memory block), says so in one line, once (the session's exit hook then stays quiet), and returns true; the
     * command's own error (a worker that failed, a fault's stack trace) would only hide the cause.
     */
    static boolean reportedDamage(final Throwable error, final java.io.PrintWriter err)
    {
        final Session session = Session.currentOrNull();
        final String damage = session == null ? null : session.damage();
        if (damage == null && !Session.isFault(error))
        {
            return false;
        }
        if (Session.claimDamageReport())
        {
            err.println("error: " + (damage != null ? damage : "a mapped file was truncated or removed while in use (" +
                error.getMessage() + "); the session or block is damaged: remove it with 'launcher clean --all'"));
            err.flush();
        }
        return true;
    }

    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new Launcher());
        final ErrorHandler errors = new ErrorHandler();
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.getSubcommands().get("run").setStopAtPositional(true); // MAIN's options are MAIN's
        return commandLine;
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: try 'launcher --help'");
    }
}
