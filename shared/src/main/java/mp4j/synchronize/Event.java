package mp4j.synchronize;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SharedObject;
import mp4j.util.WaitLoop;
import org.agrona.concurrent.AtomicBuffer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static mp4j.synchronize.EventLayout.FLAG_OFFSET;
import static mp4j.synchronize.EventLayout.LENGTH;
import static mp4j.synchronize.EventLayout.SETS_OFFSET;
import static mp4j.synchronize.EventLayout.WAITERS_OFFSET;

/**
 * Python's {@code multiprocessing.Event}: a flag any process sets or clears, and waits for. No process owns it,
 * so a killed one cannot leave it stuck. Its bytes: {@link EventLayout}.
 */
public final class Event extends SharedObject implements SharedEvent
{
    private static final long serialVersionUID = 1L;

    private final transient AtomicBuffer buffer;
    private final transient int base;

    /** A clear event in the current session. */
    public Event()
    {
        this(Session.current(), allocate(Session.current(), null));
    }

    public Event(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        if (!session.directory().isInBounds(entry) || entry.length() < LENGTH || (entry.offset() & 7) != 0)
        {
            throw new IllegalArgumentException("event '" + entry.name() + "' has a corrupt directory entry");
        }
        this.buffer = session.buffer();
        this.base = (int)entry.offset();
    }

    public static Event create(final Session session, final String name)
    {
        return new Event(session, allocate(session, name));
    }

    private static DirectoryEntry allocate(final Session session, final String name)
    {
        final long offset = session.allocate(LENGTH);
        return session.directory().add(ObjectKind.EVENT, name, 0, offset, LENGTH, -1, 0, 0);
    }

    public boolean isSet()
    {
        return buffer.getIntVolatile(base + FLAG_OFFSET) != 0;
    }

    public void set()
    {
        buffer.getAndAddLong(base + SETS_OFFSET, 1);
        buffer.putIntVolatile(base + FLAG_OFFSET, 1);
    }

    public void clear()
    {
        buffer.putIntVolatile(base + FLAG_OFFSET, 0);
    }

    /** Waits until set; returns true (Python's {@code wait()}). */
    public boolean await()
    {
        return waitNanos(LockWord.FOREVER);
    }

    /** Waits until set or the time is up; returns whether it is set (Python's {@code wait(timeout)}). */
    public boolean await(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        return waitNanos(timeout == 0 ? 0 : Math.max(1, unit.toNanos(timeout)));
    }

    public boolean await(final Duration timeout)
    {
        return await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private boolean waitNanos(final long timeoutNs)
    {
        if (isSet())
        {
            return true;
        }
        if (timeoutNs == 0)
        {
            return false;
        }
        final long sets = buffer.getLongVolatile(base + SETS_OFFSET);
        final WaitLoop wait = WaitLoop.ofThisThread().begin(timeoutNs, 0, buffer, base + WAITERS_OFFSET);
        try
        {
            while (true)
            {
                if (isSet() || buffer.getLongVolatile(base + SETS_OFFSET) != sets)
                {
                    return true;
                }
                if (wait.timedOut())
                {
                    return false;
                }
                wait.idleUninterruptibly();
            }
        }
        finally
        {
            wait.end();
        }
    }

    public int waiters()
    {
        return buffer.getIntVolatile(base + WAITERS_OFFSET);
    }
}
