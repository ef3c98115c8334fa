package mp4j.cluster;

import mp4j.synchronize.BrokenBarrierError;
import mp4j.synchronize.SharedBarrier;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Barrier} on a cluster, built as Python's {@code threading.Barrier} is: a lock, its condition, and
 * two {@link IgniteAtomicLong}s read and written under the lock: the state ({@code generation << 32 | arrived})
 * and the broken generation plus one (a generation is broken while this equals it plus one; a reset starts a new
 * generation, which nothing has broken). A timeout or {@link #abort} breaks it; {@link #reset} makes it usable again.
 * <p>
 * Unlike the local Barrier, it does not notice a party whose node died while waiting: that party stays counted,
 * so give {@link #await(long, TimeUnit)} a timeout when nodes may die.
 */
public final class ClusterBarrier extends ClusterObject implements SharedBarrier
{
    private static final long serialVersionUID = 1L;
    private static final long SLICE_NS = TimeUnit.SECONDS.toNanos(1);

    /** Threads that must call {@code await} before all of them go on. */
    private final int parties;
    /** The RLock {@code <name>.lock} that guards the barrier's state and its waiters. */
    private final ClusterRLock lock;
    private transient volatile IgniteAtomicLong state;
    private transient volatile IgniteAtomicLong broken;
    /** Who waits for the barrier to trip or break ({@code <name>.changed}). */
    private final Waiters changed;

    private ClusterBarrier(final Ignite ignite, final String name, final int parties, final ClusterRLock lock)
    {
        super(ignite, name);
        this.parties = parties;
        this.lock = lock;
        this.changed = new Waiters(ignite, name + ".changed");
    }

    static ClusterBarrier create(final Ignite ignite, final String name, final int parties)
    {
        if (parties < 1)
        {
            throw new IllegalArgumentException("a Barrier needs parties >= 1, got " + parties);
        }
        final String actual = name != null ? name : newName("Barrier");
        final ClusterBarrier barrier = new ClusterBarrier(ignite, actual, parties,
            ClusterRLock.attachOrCreate(ignite, actual + ".lock"));
        barrier.state = ignite.atomicLong(actual, 0, true);
        barrier.broken = ignite.atomicLong(actual + ".broken", 0, true);
        ObjectRegistry.record(ignite, actual, "Barrier", "parties " + parties);
        return barrier;
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

    private IgniteAtomicLong broken()
    {
        IgniteAtomicLong b = broken;
        if (b == null || b.removed())
        {
            b = ignite().atomicLong(name() + ".broken", 0, false);
            if (b == null)
            {
                throw gone();
            }
            broken = b;
        }
        return b;
    }

    @Override
    public int parties()
    {
        return parties;
    }

    @Override
    public int nWaiting()
    {
        return (int)state().get();
    }

    @Override
    public boolean isBroken()
    {
        return broken().get() == (state().get() >>> 32) + 1;
    }

    @Override
    public int await()
    {
        return awaitNanos(Long.MAX_VALUE);
    }

    @Override
    public int await(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        return awaitNanos(Math.max(1, unit.toNanos(timeout)));
    }

    private int awaitNanos(final long timeoutNs)
    {
        final long start = System.nanoTime();
        lock.acquire();
        try
        {
            final long s = state().get();
            final long generation = s >>> 32;
            if (broken().get() == generation + 1)
            {
                throw brokenError("it was broken before this party arrived");
            }
            final int index = (int)s;
            if (index + 1 == parties)
            {
                state().getAndSet((generation + 1) << 32);
                changed.notify(ignite(), Integer.MAX_VALUE);
                return index;
            }
            state().getAndSet(s + 1);
            while (true)
            {
                if (broken().get() == generation + 1)
                {
                    throw brokenError("another party broke it (timeout, abort or reset) while this one waited");
                }
                if ((state().get() >>> 32) != generation)
                {
                    return index;
                }
                final long left = timeoutNs == Long.MAX_VALUE ? SLICE_NS : timeoutNs - (System.nanoTime() - start);
                if (left <= 0)
                {
                    breakNow();
                    throw brokenError("this party's timeout ran out");
                }
                changed.await(ignite(), lock, Math.min(left, SLICE_NS));
            }
        }
        finally
        {
            lock.release();
        }
    }

    /** Breaks the current generation; the caller holds the lock. */
    private void breakNow()
    {
        broken().getAndSet((state().get() >>> 32) + 1);
        changed.notify(ignite(), Integer.MAX_VALUE);
    }

    @Override
    public void abort()
    {
        lock.acquire();
        try
        {
            breakNow();
        }
        finally
        {
            lock.release();
        }
    }

    @Override
    public void reset()
    {
        lock.acquire();
        try
        {
            final long s = state().get();
            if ((int)s > 0)
            {
                breakNow(); // the parties waiting now get BrokenBarrierError
            }
            state().getAndSet(((s >>> 32) + 1) << 32); // a new generation, unbroken, with nobody arrived
            changed.notify(ignite(), Integer.MAX_VALUE);
        }
        finally
        {
            lock.release();
        }
    }

    private BrokenBarrierError brokenError(final String why)
    {
        return new BrokenBarrierError("barrier '" + name() + "' (" + parties + " parties) is broken: " + why);
    }

    @Override
    public void destroy()
    {
        for (final String part : new String[]{name(), name() + ".broken"})
        {
            final IgniteAtomicLong a = ignite().atomicLong(part, 0, false);
            if (a != null)
            {
                a.close();
            }
        }
        changed.destroy(ignite());
        lock.destroyQuietly();
        ObjectRegistry.forget(ignite(), name());
    }
}
