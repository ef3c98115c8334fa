package mp4j.managers;

/**
 * A method of an object in a manager's server process threw (or could not be called): its class name, message
 * and stack trace as the server saw them, as Python's manager re-raises a server-side error.
 */
public class RemoteCallException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String remoteClass;
    private final String remoteTrace;

    public RemoteCallException(final String message, final String remoteClass, final String remoteTrace)
    {
        super(message);
        this.remoteClass = remoteClass;
        this.remoteTrace = remoteTrace;
    }

    /** The class of what the server threw, e.g. {@code java.lang.IllegalArgumentException}. */
    public String remoteClass()
    {
        return remoteClass;
    }

    /** The server's stack trace, as text. */
    public String remoteTrace()
    {
        return remoteTrace;
    }
}
