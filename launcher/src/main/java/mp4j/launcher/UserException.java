package mp4j.launcher;

/** A failure the user can fix, reported as one line (no stack trace) with exit code 1. */
public class UserException extends RuntimeException
{
    public UserException(final String message)
    {
        super(message);
    }
}
