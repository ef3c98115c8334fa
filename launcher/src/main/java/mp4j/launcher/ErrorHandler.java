package mp4j.launcher;

import mp4j.session.Printable;
import mp4j.session.SessionFileException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Turns the errors a user can cause (a bad file, a bad name, a full session) into one clear line and exit code 1;
 * a stack trace only for real bugs, or with {@code -Dmp4j.debug=true}. Usage errors get the message and the usage
 * of the (sub)command that was given them, as picocli's own handler does, and exit code 2. Both print messages
 * with control characters escaped: they may quote a name that came from a hostile file or argument.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler
{
    @Override
    public int handleExecutionException(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        if (Launcher.reportedDamage(ex, commandLine.getErr()))
        {
            return 1;
        }
        final boolean expected = ex instanceof SessionFileException || ex instanceof IllegalArgumentException ||
            ex instanceof IllegalStateException || ex instanceof java.io.IOException ||
            ex instanceof java.io.UncheckedIOException || ex instanceof UserException;
        commandLine.getErr().println(commandLine.getColorScheme().errorText(
            "error: " + Printable.escapeKeepingLines(ex.getMessage() == null ? ex.toString() : ex.getMessage())));
        if (!expected || Boolean.getBoolean("mp4j.debug"))
        {
            ex.printStackTrace(commandLine.getErr());
        }
        return 1;
    }

    /**
     * A usage error: its message, then the usage of the command it was raised for ({@code ex.getCommandLine()},
     * which a command sets from its {@code @Spec}: {@code launcher pool --procs 0} shows pool's options).
     */
    @Override
    public int handleParseException(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText(Printable.escapeKeepingLines(ex.getMessage())));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err))
        {
            commandLine.usage(err, commandLine.getColorScheme());
        }
        final CommandLine.IExitCodeExceptionMapper mapper = commandLine.getExitCodeExceptionMapper();
        return mapper != null ? mapper.getExitCode(ex) : commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }
}
