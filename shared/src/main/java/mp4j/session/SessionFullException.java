package mp4j.session;

/** The session's data area, process table or object directory has no room left. */
public class SessionFullException extends IllegalStateException
{
    public SessionFullException(final String message)
    {
        super(message);
    }
}
