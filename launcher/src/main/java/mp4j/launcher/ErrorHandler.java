package mp4j.launcher;

import mp4j.session.SessionFileException;
import picocli.CommandLine;

/**
 * Turns the errors a user can cause (a bad file, a bad name, a full session) into one clear line and exit code 1;
 * a stack trace only for real bugs, or with {@code -Dmp4j.debug=true}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler
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
            ex instanceof UserException;
        commandLine.getErr().println(commandLine.getColorScheme().errorText(
            "error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage())));
        if (!expected || Boolean.getBoolean("mp4j.debug"))
        {
            ex.printStackTrace(commandLine.getErr());
        }
        return 1;
    }
}
