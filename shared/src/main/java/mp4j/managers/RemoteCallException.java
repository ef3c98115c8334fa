package mp4j.managers;

/**
 * A method of an object in a manager's server process threw (or could not be called): its class name, message
 * and stack trace as the server saw them, as Python's manager re-raises a server-side error.
 */
public class RemoteCallException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The class name of what the server threw. */
    private final String remoteClass;
    /** The server's stack trace, as text. */
    private final String remoteTrace;

    /**
     * An error as the server reported it.
     *
     * @param message     the server exception's message, with the object and method named.
     * @param remoteClass the class name of what the server threw.
     * @param remoteTrace the server's stack trace, as text.
     */
    public RemoteCallException(final String message, final String remoteClass, final String remoteTrace)
    {
        super(message);
        this.remoteClass = remoteClass;
        this.remoteTrace = remoteTrace;
    }

    /**
     * The class of what the server threw.
     *
     * @return its name, e.g. {@code java.lang.IllegalArgumentException}.
     */
    public String remoteClass()
    {
        return remoteClass;
    }

    /**
     * The server's stack trace.
     *
     * @return the trace, as text.
     */
    public String remoteTrace()
    {
        return remoteTrace;
    }
}
