package mp4j.cluster;

import mp4j.context.SharedRLock;
import mp4j.synchronize.Acquired;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCondition;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.IgniteLock;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code RLock} on a cluster: a failover-safe {@link IgniteLock}, reentrant, owned by one thread of one
 * node. When the owner's node dies the lock is free again (Ignite measured 0.2-0.5 s here), as a local RLock
 * whose owner process dies. An acquire waits through interrupts, as the local one does.
 */
public final class ClusterRLock extends ClusterObject implements SharedRLock
{
    private static final long serialVersionUID = 1L;

    /** True for the lock of a Value, Event, Condition, ...: made again on use when missing, as its owner is. */
    private final boolean part;
    private transient volatile IgniteLock lock;
    private final transient Acquired acquired = this::release;

    private ClusterRLock(final Ignite ignite, final String name, final boolean part)
    {
        super(ignite, name);
        this.part = part;
    }

    static ClusterRLock create(final Ignite ignite, final String name)
    {
        final String actual = name != null ? name : newName("RLock");
        final ClusterRLock lock = new ClusterRLock(ignite, actual, false);
        lock.lock = ignite.reentrantLock(actual, true, false, true);
        ObjectRegistry.record(ignite, actual, "RLock", "");
        return lock;
    }

    /** The lock {@code name}, made when missing; not listed in the registry (a part of another object). */
    static ClusterRLock attachOrCreate(final Ignite ignite, final String name)
    {
        final ClusterRLock lock = new ClusterRLock(ignite, name, true);
        lock.lock = ignite.reentrantLock(name, true, false, true);
        return lock;
    }

    IgniteLock lock()
    {
        IgniteLock l = lock;
        if (l == null || l.removed())
        {
            l = ignite().reentrantLock(name(), true, false, part);
            if (l == null)
            {
                throw gone();
            }
            lock = l;
        }
        return l;
    }

    IgniteCondition condition(final String conditionName)
    {
        return lock().getOrCreateCondition(conditionName);
    }

    @Override
    public void acquire()
    {
        lock().lock();
    }

    @Override
    public boolean acquire(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return lock().tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (final IgniteInterruptedException ex)
                {
                    interrupted = true;
                    Thread.interrupted();
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean tryAcquire()
    {
        return lock().tryLock();
    }

    /**
     * Releases one level of the calling thread's hold.
     *
     * @throws IllegalStateException when the calling thread does not own it.
     */
    @Override
    public void release()
    {
        final IgniteLock l = lock();
        if (!l.isHeldByCurrentThread())
        {
            throw new IllegalStateException("cannot release RLock '" + name() + "': it is " +
                (l.isLocked() ? "held by another thread or node" : "not held") +
                ", not by this thread; only the owner releases an RLock");
        }
        l.unlock();
    }

    @Override
    public Acquired acquired()
    {
        acquire();
        return acquired;
    }

    @Override
    public boolean isOwned()
    {
        return lock().isHeldByCurrentThread();
    }

    /** True when some thread of some node holds it. */
    public boolean isLocked()
    {
        return lock().isLocked();
    }

    @Override
    public void destroy()
    {
        destroyQuietly();
        ObjectRegistry.forget(ignite(), name());
    }

    void destroyQuietly()
    {
        final IgniteLock l = ignite().reentrantLock(name(), true, false, false);
        if (l != null)
        {
            l.close();
        }
    }
}
