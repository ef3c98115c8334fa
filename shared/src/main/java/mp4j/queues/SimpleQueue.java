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

    /** An unbounded simple queue in the current session: Python's {@code SimpleQueue()}. */
    public SimpleQueue()
    {
        this(Session.current(), QueueCore.allocate(Session.current(), ObjectKind.SIMPLE_QUEUE, null, 0,
            QueueLayout.DEFAULT_CAPACITY));
    }

    /**
     * A simple queue in {@code session}, which need not be the current one.
     *
     * @param session  the session whose file holds it.
     * @param name     the name {@code launcher inspect} shows; null for a generated one.
     * @param capacity ring bytes (rounded up to a power of two); a value takes its encoding plus 8 bytes, aligned
     *                 to 8, so 8-byte longs take 24. What does not fit goes to the queue's spill files.
     * @return the new queue.
     */
    public static SimpleQueue create(final Session session, final String name, final int capacity)
    {
        return new SimpleQueue(session, QueueCore.allocate(session, ObjectKind.SIMPLE_QUEUE, name, 0, capacity));
    }

    /**
     * Attaches to an existing simple queue of {@code session}, as a worker does with one it was passed (a reference
     * travels, not the bytes).
     *
     * @param session the session whose file holds it.
     * @param entry   its entry in the session's object directory.
     */
    public SimpleQueue(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        this.core = new QueueCore(session, entry);
    }

    /**
     * Puts {@code value}, as Python's {@code put(obj)}; never waits for a consumer (what the ring has no room for
     * is spilled, as in a Queue).
     *
     * @param value the value, sent encoded.
     * @throws InterruptedException when this thread is interrupted while it writes.
     */
    public void put(final Object value) throws InterruptedException
    {
        core.put(value, true, -1, false);
    }

    /**
     * Gets the next value, waiting for one, as Python's {@code get()}.
     *
     * @return the value, decoded in this process.
     * @throws InterruptedException when this thread is interrupted while it waits.
     */
    public Object get() throws InterruptedException
    {
        return core.get(true, -1);
    }

    /**
     * Whether the queue is empty now, as Python's {@code empty()}.
     *
     * @return true when there is no value; it may change at once.
     */
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
