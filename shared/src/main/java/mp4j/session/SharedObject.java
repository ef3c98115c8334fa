package mp4j.session;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * Base of every object that lives in a session's data area (Value, Array, Lock, Queue, ...).
 * <p>
 * Passing one to a worker (as an argument, or captured by a serializable lambda) sends only a reference to its
 * directory entry; the worker attaches to the same bytes: the object is shared, never copied, as Python's
 * {@code Value} passed to a {@code Process}. A subclass needs a constructor {@code (Session, DirectoryEntry)}.
 */
public abstract class SharedObject implements Serializable
{
    private static final long serialVersionUID = 1L;

    protected final transient Session session;
    protected final transient DirectoryEntry entry;

    protected SharedObject(final Session session, final DirectoryEntry entry)
    {
        this.session = session;
        this.entry = entry;
    }

    public Session session()
    {
        return session;
    }

    public DirectoryEntry entry()
    {
        return entry;
    }

    /** The name the inspector shows. */
    public String name()
    {
        return entry.name();
    }

    protected final Object writeReplace() throws ObjectStreamException
    {
        beforeSend();
        return new SharedObjectRef(session.name(), entry.index(), getClass());
    }

    /**
     * Called as this object is serialized to be passed to another process, before that process attaches: an
     * object that tracks which processes hold it (a Pipe end) counts it as held in transit.
     */
    protected void beforeSend()
    {
    }
}
