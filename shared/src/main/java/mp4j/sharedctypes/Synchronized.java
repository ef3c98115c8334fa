package mp4j.sharedctypes;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SharedObject;
import mp4j.synchronize.AbstractLock;
import mp4j.synchronize.Lock;
import mp4j.synchronize.RLock;
import org.agrona.concurrent.AtomicBuffer;

import static mp4j.sharedctypes.SynchronizedLayout.GIVEN_LOCK;
import static mp4j.sharedctypes.SynchronizedLayout.HEADER_LENGTH;
import static mp4j.sharedctypes.SynchronizedLayout.LOCK_ENTRY_OFFSET;
import static mp4j.sharedctypes.SynchronizedLayout.LOCK_OFFSET;
import static mp4j.sharedctypes.SynchronizedLayout.NO_LOCK;
import static mp4j.sharedctypes.SynchronizedLayout.OWN_RLOCK;

/**
 * What {@link Value} and {@link Array} share: the header of their bytes, which holds their own lock, and the
 * choice of lock Python offers ({@code lock=True}: their own RLock; {@code lock=False}: none; a Lock or RLock
 * given). Their bytes: {@link SynchronizedLayout}.
 */
public abstract class Synchronized extends SharedObject
{
    private static final long serialVersionUID = 1L;

    protected final transient AtomicBuffer buffer;
    protected final transient int typeCode;
    private transient AbstractLock lock;

    protected Synchronized(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        if (!session.directory().isInBounds(entry) || entry.length() < HEADER_LENGTH)
        {
            throw new IllegalArgumentException("directory entry '" + entry.name() + "' lies outside the data area " +
                "of session " + session.name() + "; the session file is corrupt");
        }
        CTypes.size(entry.typeCode());
        this.buffer = session.buffer();
        this.typeCode = entry.typeCode();
    }

    /**
     * Allocates header plus {@code dataLength} bytes and lists them.
     *
     * @param lock {@code Boolean.TRUE} (own RLock), {@code Boolean.FALSE} (none) or a Lock/RLock of the session.
     */
    static DirectoryEntry allocate(
        final Session session, final ObjectKind kind, final String name, final int typeCode, final long count,
        final Object lock)
    {
        final int size = CTypes.size(typeCode);
        if (count < 0)
        {
            throw new IllegalArgumentException(kind == ObjectKind.ARRAY ?
                "Array size must be >= 0, got " + count : "count must be >= 0, got " + count);
        }
        if (count > (Integer.MAX_VALUE - HEADER_LENGTH) / size)
        {
            throw new IllegalArgumentException("an Array of " + count + " '" + (char)typeCode + "' elements (" +
                count * size + " bytes) exceeds the 2 GiB a session can map");
        }
        final AbstractLock given;
        final int flags;
        if (lock == null || Boolean.TRUE.equals(lock))
        {
            given = null;
            flags = OWN_RLOCK;
        }
        else if (Boolean.FALSE.equals(lock))
        {
            given = null;
            flags = NO_LOCK;
        }
        else if (lock instanceof AbstractLock l)
        {
            if (l.session() != session && !l.session().name().equals(session.name()))
            {
                throw new IllegalArgumentException("lock '" + l.name() + "' belongs to session " +
                    l.session().name() + ", not to " + session.name());
            }
            given = l;
            flags = GIVEN_LOCK;
        }
        else
        {
            throw new IllegalArgumentException("lock must be true, false, or a Lock or RLock, got " +
                lock.getClass().getName() + " (as Python's lock=True/False/a lock)");
        }
        final long length = HEADER_LENGTH + count * size;
        final long offset = session.allocate(length, (kind == ObjectKind.ARRAY ? "an Array('" : "a Value('") +
            (char)typeCode + (kind == ObjectKind.ARRAY ? "', " + count : "") + ") (" + length + " bytes)");
        session.buffer().putInt((int)offset + LOCK_ENTRY_OFFSET, given == null ? -1 : given.entry().index());
        final long lockOffset = switch (flags)
        {
            case OWN_RLOCK -> offset + LOCK_OFFSET;
            case GIVEN_LOCK -> given.entry().lockOffset();
            default -> -1;
        };
        return session.directory().add(kind, name, typeCode, offset, length, lockOffset, count, flags);
    }

    protected final int base()
    {
        return (int)entry.offset();
    }

    /** Python type code ('i', 'd', ...). */
    public final char typeCode()
    {
        return (char)typeCode;
    }

    /** True unless made with {@code lock=false}. */
    public final boolean hasLock()
    {
        return entry.hasLock();
    }

    /**
     * The lock guarding it, as Python's {@code get_lock()}: its own RLock, or the Lock/RLock it was given. Hold it
     * around compound updates ({@code v.set(v.get() + 1)}); single reads, writes and the atomic methods need none.
     *
     * @throws IllegalStateException when it was made with {@code lock=false}.
     */
    public final AbstractLock getLock()
    {
        AbstractLock l = lock;
        if (l == null)
        {
            l = lock = resolveLock();
        }
        return l;
    }

    private AbstractLock resolveLock()
    {
        switch (entry.flags())
        {
            case OWN_RLOCK:
                return new RLock(session, entry);
            case GIVEN_LOCK:
                final DirectoryEntry lockEntry = session.directory().entry(buffer.getInt(base() + LOCK_ENTRY_OFFSET));
                if (lockEntry == null || lockEntry.lockOffset() != entry.lockOffset())
                {
                    throw new IllegalStateException("the lock of '" + name() + "' is not in the directory");
                }
                return lockEntry.kind() == ObjectKind.RLOCK ? new RLock(session, lockEntry) : new Lock(session, lockEntry);
            default:
                throw new IllegalStateException("'" + name() + "' was made with lock=false, so it has no lock; " +
                    "make it with a lock (the default) or pass a Lock to use one");
        }
    }

    /** Holds the lock, if any, for bulk reads and writes (as Python's synchronized slices); returns whether held. */
    protected final boolean lockForBulk()
    {
        if (!entry.hasLock())
        {
            return false;
        }
        getLock().acquire();
        return true;
    }

    protected final void unlockForBulk(final boolean held)
    {
        if (held)
        {
            getLock().release();
        }
    }

    protected final IllegalStateException notInteger(final String operation)
    {
        return new IllegalStateException(getClass().getSimpleName() + " '" + name() + "' has type code '" +
            (char)typeCode + "'; " + operation + " is for the integer codes b B h H i I l L q Q: use " +
            (CTypes.isFloat(typeCode) ? "getDouble/setDouble" : "getLong/setLong") + " under getLock()");
    }
}
