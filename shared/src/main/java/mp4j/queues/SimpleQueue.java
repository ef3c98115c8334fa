package mp4j.queues;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SharedObject;

/**
 * Python's {@code multiprocessing.SimpleQueue}: unbounded, with {@code put}, {@code get}, {@code empty} and
 * {@code close} only. The same ring and spill as {@link Queue} ({@link QueueCore}, {@link QueueLayout}).
 */
public final class SimpleQueue extends SharedObject implements AutoCloseable, Waitable
{
    private static final long serialVersionUID = 1L;

    private final transient QueueCore core;

    public SimpleQueue()
    {
        this(Session.current(), QueueCore.allocate(Session.current(), ObjectKind.SIMPLE_QUEUE, null, 0,
            QueueLayout.DEFAULT_CAPACITY));
    }

    public static SimpleQueue create(final Session session, final String name, final int capacity)
    {
        return new SimpleQueue(session, QueueCore.allocate(session, ObjectKind.SIMPLE_QUEUE, name, 0, capacity));
    }

    public SimpleQueue(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        this.core = new QueueCore(session, entry);
    }

    /** Puts {@code value}; never waits for a consumer (what the ring has no room for is spilled, as in a Queue). */
    public void put(final Object value) throws InterruptedException
    {
        core.put(value, true, -1, false);
    }

    public Object get() throws InterruptedException
    {
        return core.get(true, -1);
    }

    public boolean empty()
    {
        return core.empty();
    }

    /** For {@link Connection#wait(java.util.Collection, long)}: true when a value can be got now. */
    @Override
    public boolean ready()
    {
        return core.hasValue();
    }

    @Override
    public void close()
    {
        core.close();
    }

    @Override
    public String toString()
    {
        return "SimpleQueue[" + name() + "]";
    }
}
