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

    /** The session whose data area holds the object; not serialized (a receiver attaches to its own). */
    protected final transient Session session;
    /** The object's directory entry, read when it was made or attached: where its bytes are, its name, its kind. */
    protected final transient DirectoryEntry entry;

    /**
     * Wraps bytes already allocated and listed in the session's directory.
     *
     * @param session the session the object lives in
     * @param entry   its directory entry in that session
     */
    protected SharedObject(final Session session, final DirectoryEntry entry)
    {
        this.session = session;
        this.entry = entry;
    }

    /**
     * The session the object lives in.
     *
     * @return the session
     */
    public Session session()
    {
        return session;
    }

    /**
     * The object's directory entry, a snapshot read when this handle was made.
     *
     * @return the entry
     */
    public DirectoryEntry entry()
    {
        return entry;
    }

    /**
     * The name the inspector shows.
     *
     * @return the entry's name, given or generated ("Value-3")
     */
    public String name()
    {
        return entry.name();
    }

    /**
     * Serialization's hook: the object travels as a {@link SharedObjectRef} to its directory entry, after
     * {@link #beforeSend()}.
     *
     * @return the reference that is serialized in this object's place
     * @throws ObjectStreamException never here; as serialization declares it
     */
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
