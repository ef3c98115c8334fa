package mp4j.pool;

/**
 * A task raised an exception in a worker JVM, as Python's re-raised exception with its {@code RemoteTraceback}:
 * the message names the remote exception's class and message, and this exception's stack trace is the
 * remote one (frames of the worker), so a printed trace points at the line that threw over there.
 */
public class RemoteException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteMessage;
    private final String remoteTrace;

    public RemoteException(final String remoteClassName, final String remoteMessage, final String remoteTrace,
        final StackTraceElement[] remoteFrames)
    {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage) + " (raised in a pool worker)");
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.remoteTrace = remoteTrace;
        setStackTrace(remoteFrames);
    }

    /** The class of the exception the task raised, e.g. {@code java.lang.ArithmeticException}. */
    public String remoteClassName()
    {
        return remoteClassName;
    }

    /** Its message, or null. */
    public String remoteMessage()
    {
        return remoteMessage;
    }

    /** The whole remote stack trace as the worker printed it, causes included (Python's RemoteTraceback). */
    public String remoteTrace()
    {
        return remoteTrace;
    }
}
