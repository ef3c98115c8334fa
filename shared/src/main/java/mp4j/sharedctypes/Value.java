package mp4j.sharedctypes;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;

import static mp4j.sharedctypes.SynchronizedLayout.VALUE_OFFSET;

/**
 * Python's {@code multiprocessing.Value}: one typed C value in the session file, shared by every process it is
 * passed to. Made with its own {@link mp4j.synchronize.RLock} by default ({@link #getLock()}), with none
 * ({@code lock=false}) or with a given Lock/RLock:
 * <pre>{@code
 * Value counter = new Value('i', 0);
 * try (var held = counter.getLock().acquired())
 * {
 *     counter.set(counter.get() + 1);
 * }
 * counter.incrementAndGet();     // atomic without the lock too
 * }</pre>
 * Reads and writes are single-copy atomic and ordered (a write made under the lock is seen by the lock's next
 * holder in any process); nothing on these paths allocates. Layout: {@link Synchronized}.
 */
public final class Value extends Synchronized implements SharedValue
{
    private static final long serialVersionUID = 1L;

    private final transient int at;

    /** A zero Value of {@code typeCode} in the current session, with its own RLock. */
    public Value(final char typeCode)
    {
        this(typeCode, 0L, true);
    }

    public Value(final char typeCode, final long init)
    {
        this(typeCode, init, true);
    }

    public Value(final char typeCode, final double init)
    {
        this(typeCode, init, true);
    }

    /** @param lock as Python's {@code lock=}: {@code true}, {@code false}, or a Lock/RLock. */
    public Value(final char typeCode, final long init, final Object lock)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.VALUE, null, typeCode, 1, lock));
        setLong(init);
    }

    public Value(final char typeCode, final double init, final Object lock)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.VALUE, null, typeCode, 1, lock));
        setDouble(init);
    }

    /** Attaches to an existing Value. */
    public Value(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        this.at = base() + VALUE_OFFSET;
    }

    /**
     * A zero Value in {@code session}.
     *
     * @param name null for a generated one ("Value-3").
     * @param lock {@code true}, {@code false}, or a Lock/RLock of the session.
     */
    public static Value create(final Session session, final String name, final char typeCode, final Object lock)
    {
        return new Value(session, allocate(session, ObjectKind.VALUE, name, typeCode, 1, lock));
    }

    /** The value as a long: integers as the type holds them (unsigned ones zero-extended), floats truncated. */
    public long get()
    {
        return CTypes.getLong(buffer, at, typeCode);
    }

    /** Stores {@code value}, wrapping to the type's width as C does. */
    public void set(final long value)
    {
        CTypes.putLong(buffer, at, typeCode, value);
    }

    public long getLong()
    {
        return get();
    }

    public void setLong(final long value)
    {
        set(value);
    }

    public double getDouble()
    {
        return CTypes.getDouble(buffer, at, typeCode);
    }

    public void setDouble(final double value)
    {
        CTypes.putDouble(buffer, at, typeCode, value);
    }

    /** Atomically adds (integer codes), returning the previous value. */
    public long getAndAdd(final long delta)
    {
        if (!CTypes.isInteger(typeCode))
        {
            throw notInteger("getAndAdd");
        }
        return CTypes.getAndAdd(buffer, at, typeCode, delta);
    }

    public long addAndGet(final long delta)
    {
        return CTypes.wrap(typeCode, getAndAdd(delta) + delta);
    }

    public long incrementAndGet()
    {
        return addAndGet(1);
    }

    public long decrementAndGet()
    {
        return addAndGet(-1);
    }

    /** Atomically sets {@code update} if it holds {@code expected} (integer codes). */
    public boolean compareAndSet(final long expected, final long update)
    {
        if (!CTypes.isInteger(typeCode))
        {
            throw notInteger("compareAndSet");
        }
        return CTypes.compareAndSet(buffer, at, typeCode, expected, update);
    }

    @Override
    public String toString()
    {
        return "Value('" + (char)typeCode + "', " + CTypes.format(buffer, at, typeCode) + ")";
    }
}
