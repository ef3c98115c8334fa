package mp4j.cluster;

import mp4j.synchronize.SharedEvent;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Event} on a cluster, built of an {@link IgniteAtomicLong} and a lock with its condition
 * ({@link Waiters}). The
 * long holds {@code sets << 1 | flag}: a waiter wakes for a set even when a clear follows at once, as the local
 * Event does. {@link #set()} signals under the lock, and a waiter checks under it, so no wake-up is lost; a waiter
 * also looks at the flag at least once a second, so a setter whose node dies mid-signal delays it by at most that.
 */
public final class ClusterEvent extends ClusterObject implements SharedEvent
{
    private static final long serialVersionUID = 1L;
    private static final long SLICE_NS = TimeUnit.SECONDS.toNanos(1);

    /** The RLock {@code <name>.lock} that waiters hold while they check the flag. */
    private final ClusterRLock lock;
    private transient volatile IgniteAtomicLong state;
    /** Who waits for the flag to be set ({@code <name>.changed}). */
    private final Waiters changed;

    private ClusterEvent(final Ignite ignite, final String name, final ClusterRLock lock)
    {
        super(ignite, name);
        this.lock = lock;
        this.changed = new Waiters(ignite, name + ".changed");
    }

    static ClusterEvent create(final Ignite ignite, final String name)
    {
        final String actual = name != null ? name : newName("Event");
        final ClusterEvent event = new ClusterEvent(ignite, actual, ClusterRLock.attachOrCreate(ignite, actual + ".lock"));
        event.state = ignite.atomicLong(actual, 0, true);
        ObjectRegistry.record(ignite, actual, "Event", "");
        return event;
    }

    private IgniteAtomicLong state()
    {
        IgniteAtomicLong s = state;
        if (s == null || s.removed())
        {
            s = ignite().atomicLong(name(), 0, false);
            if (s == null)
            {
                throw gone();
            }
            state = s;
        }
        return s;
    }

    @Override
    public boolean isSet()
    {
        return (state().get() & 1) != 0;
    }

    @Override
    public void set()
    {
        final IgniteAtomicLong s = state();
        while (true)
        {
            final long now = s.get();
            if (s.compareAndSet(now, (((now >>> 1) + 1) << 1) | 1))
            {
                break;
            }
        }
        lock.acquire();
        try
        {
            changed.notify(ignite(), Integer.MAX_VALUE);
        }
        finally
        {
            lock.release();
        }
    }

    @Override
    public void clear()
    {
        final IgniteAtomicLong s = state();
        while (true)
        {
            final long now = s.get();
            if ((now & 1) == 0 || s.compareAndSet(now, now & ~1L))
            {
                return;
            }
        }
    }

    @Override
    public boolean await()
    {
        return waitNanos(Long.MAX_VALUE);
    }

    @Override
    public boolean await(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        return waitNanos(unit.toNanos(timeout));
    }

    private boolean waitNanos(final long timeoutNs)
    {
        final long seen = state().get();
        if ((seen & 1) != 0)
        {
            return true;
        }
        if (timeoutNs == 0)
        {
            return false;
        }
        final long start = System.nanoTime();
        lock.acquire();
        try
        {
            while (true)
            {
                final long now = state().get();
                if ((now & 1) != 0 || (now >>> 1) != (seen >>> 1))
                {
                    return true;
                }
                final long left = timeoutNs == Long.MAX_VALUE ? SLICE_NS : timeoutNs - (System.nanoTime() - start);
                if (left <= 0)
                {
                    return false;
                }
                changed.await(ignite(), lock, Math.min(left, SLICE_NS));
            }
        }
        finally
        {
            lock.release();
        }
    }

    @Override
    public void destroy()
    {
        final IgniteAtomicLong s = ignite().atomicLong(name(), 0, false);
        if (s != null)
        {
            s.close();
        }
        changed.destroy(ignite());
        lock.destroyQuietly();
        ObjectRegistry.forget(ignite(), name());
    }
}
