package mp4j.session;

/** The session's data area, process table or object directory has no room left. */
public class SessionFullException extends IllegalStateException
{
    /**
     * An error for a full session.
     *
     * @param message which part is full, how full, and what to do (a bigger {@code -Dmp4j.session.size}, say)
     */
    public SessionFullException(final String message)
    {
        super(message);
    }
}
