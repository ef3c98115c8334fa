package mp4j.cluster;

import mp4j.pool.RemoteException;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;

/**
 * A task's exception, carried back as text and frames (the exception's own class may not be loadable where the
 * result arrives), and raised in the caller as the local pool raises it: a {@link RemoteException}.
 */
final class RemoteFailure implements Serializable
{
    private static final long serialVersionUID = 1L;

    String className;
    String message;
    String trace;
    String[] frameClasses;
    String[] frameMethods;
    String[] frameFiles;
    int[] frameLines;
    String node;

    static RemoteFailure of(final Throwable t, final String node)
    {
        final RemoteFailure failure = new RemoteFailure();
        final Throwable cause = t;
        failure.className = cause.getClass().getName();
        failure.message = cause.getMessage();
        final StringWriter text = new StringWriter();
        cause.printStackTrace(new PrintWriter(text));
        failure.trace = text.toString();
        final StackTraceElement[] frames = cause.getStackTrace();
        failure.frameClasses = new String[frames.length];
        failure.frameMethods = new String[frames.length];
        failure.frameFiles = new String[frames.length];
        failure.frameLines = new int[frames.length];
        for (int i = 0; i < frames.length; i++)
        {
            failure.frameClasses[i] = frames[i].getClassName();
            failure.frameMethods[i] = frames[i].getMethodName();
            failure.frameFiles[i] = frames[i].getFileName();
            failure.frameLines[i] = frames[i].getLineNumber();
        }
        failure.node = node;
        return failure;
    }

    RemoteException toException()
    {
        final StackTraceElement[] frames = new StackTraceElement[frameClasses.length];
        for (int i = 0; i < frames.length; i++)
        {
            frames[i] = new StackTraceElement(frameClasses[i], frameMethods[i], frameFiles[i], frameLines[i]);
        }
        return new RemoteException(className, message, trace, frames);
    }
}
