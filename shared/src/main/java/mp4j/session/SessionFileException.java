package mp4j.session;

/**
 * A file that is not a usable session: missing, foreign, corrupt, truncated, made by another layout version,
 * or not ours. The message names the file and says what to do about it.
 */
public class SessionFileException extends RuntimeException
{
    /**
     * An error without a cause.
     *
     * @param message what is wrong with which file, and what to do about it
     */
    public SessionFileException(final String message)
    {
        super(message);
    }

    /**
     * An error caused by another, an {@link java.io.IOException} say.
     *
     * @param message what is wrong with which file, and what to do about it
     * @param cause   the underlying error
     */
    public SessionFileException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
