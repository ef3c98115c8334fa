package mp4j.pool;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A task's exception as text, where it cannot be itself: Python's {@code RemoteTraceback}. A task's exception
 * normally reaches the caller as it was raised, of its own type (see {@link AsyncResult#get()} and
 * {@link Pool#map}); a RemoteException appears instead
 * <ul>
 * <li>standing in for it, when its class cannot be loaded in the caller or its bytes cannot be read there (not
 *     serializable, refused by the filter): then it carries the remote class name, message and printed trace,
 *     its stack trace is the worker's, and {@link #getCause()} is null;</li>
 * <li>around it, when it must be thrown unchecked in the caller's thread and cannot be re-made there with the
 *     same type (a checked exception, say): then {@link #getCause()} is the task's exception and this stack
 *     trace is the caller's.</li>
 * </ul>
 */
public final class RemoteException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The remote exception's class name. */
    private final String remoteClassName;
    /** Its message, or null. */
    private final String remoteMessage;
    /** Its stack trace as the worker printed it. */
    private final String remoteTrace;
    /** True when this stands in for the remote exception, false when it wraps it as its cause. */
    private final boolean standIn;

    /**
     * A stand-in for an exception raised in a worker, with the worker's stack trace. Its message is
     * {@code "class: message (raised in a pool worker)"}.
     *
     * @param remoteClassName the remote exception's class name, as {@link Class#getName()} says it
     * @param remoteMessage   its message; null if it had none
     * @param remoteTrace     its stack trace as the worker printed it, causes included
     * @param remoteFrames    its frames, which become this exception's stack trace
     */
    public RemoteException(final String remoteClassName, final String remoteMessage, final String remoteTrace,
        final StackTraceElement[] remoteFrames)
    {
        this(remoteClassName, remoteMessage, remoteTrace, remoteFrames, null);
    }

    /** A stand-in, saying why the exception itself could not be rebuilt here. */
    RemoteException(final String remoteClassName, final String remoteMessage, final String remoteTrace,
        final StackTraceElement[] remoteFrames, final String whyNotRebuilt)
    {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage) + " (raised in a pool worker" +
            (whyNotRebuilt == null ? "" : "; not rebuilt here: " + whyNotRebuilt) + ")");
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.remoteTrace = remoteTrace;
        this.standIn = true;
        setStackTrace(remoteFrames);
    }

    /** Around {@code raised}, thrown in the caller's thread: the stack trace is the caller's. */
    RemoteException(final Throwable raised)
    {
        super(raised.toString() + " (raised in a pool worker)", raised);
        this.remoteClassName = raised.getClass().getName();
        this.remoteMessage = raised.getMessage();
        final StringWriter trace = new StringWriter();
        raised.printStackTrace(new PrintWriter(trace));
        this.remoteTrace = trace.toString();
        this.standIn = false;
    }

    /** Around a stand-in, thrown in the caller's thread: the same text, the caller's stack trace. */
    RemoteException(final RemoteException standIn)
    {
        super(standIn.getMessage(), standIn);
        this.remoteClassName = standIn.remoteClassName;
        this.remoteMessage = standIn.remoteMessage;
        this.remoteTrace = standIn.remoteTrace;
        this.standIn = false;
    }

    /**
     * The class of the exception the task raised.
     *
     * @return its binary name, e.g. {@code com.example.QuotaExceeded}
     */
    public String remoteClassName()
    {
        return remoteClassName;
    }

    /**
     * The message of the exception the task raised.
     *
     * @return its message, or null if it had none
     */
    public String remoteMessage()
    {
        return remoteMessage;
    }

    /**
     * The whole remote stack trace as the worker printed it, causes included: the text of Python's
     * {@code RemoteTraceback}.
     *
     * @return the printed trace, lines separated by the worker's line separator
     */
    public String remoteTrace()
    {
        return remoteTrace;
    }

    /** Whether this stands in for the task's exception (true) or wraps it as its cause (false). */
    boolean isStandIn()
    {
        return standIn;
    }
}
