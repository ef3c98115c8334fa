package mp4j.session;

/**
 * A file that is not a usable session: missing, foreign, corrupt, truncated, made by another layout version,
 * or not ours. The message names the file and says what to do about it.
 */
public class SessionFileException extends RuntimeException
{
    public SessionFileException(final String message)
    {
        super(message);
    }

    public SessionFileException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
