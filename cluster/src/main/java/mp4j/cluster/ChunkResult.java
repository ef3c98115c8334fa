package mp4j.cluster;

import mp4j.codec.SerialFilter;
import mp4j.codec.ValueCodec;
import mp4j.pool.TaskException;

import java.io.Serializable;
import java.util.List;

/** What a {@link ChunkJob} sends back: the results in order, or the failure of its first failing item; and its node. */
final class ChunkResult implements Serializable
{
    private static final long serialVersionUID = 1L;

    String nodeId;
    String host;
    long pid;
    List<Object> values;
    /**
     * The first failing item's exception as {@link TaskException#describe} tells it (class, message, trace, frames
     * and its serialized bytes), as a local worker sends it: the exception's class may not be loadable where the
     * result arrives, and Ignite would then lose the whole result; the bytes are read by {@link #raised}.
     */
    Object[] failure;

    /**
     * The task's exception rebuilt in the caller, of its own type and with the node's stack trace, or a
     * {@link mp4j.pool.RemoteException} standing in for it, in the carrier the local pool uses.
     *
     * @param loader where the task's classes come from (the task's own class loader), tried first.
     */
    TaskException raised(final ClassLoader loader)
    {
        final Thread thread = Thread.currentThread();
        final ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try
        {
            return TaskException.rebuild(failure, new ValueCodec(TaskException.filter(SerialFilter.standard())));
        }
        finally
        {
            thread.setContextClassLoader(before);
        }
    }
}
