package mp4j.cluster;

import mp4j.context.SharedLock;
import mp4j.synchronize.Acquired;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.IgniteSemaphore;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Lock} on a cluster: a failover-safe {@link IgniteSemaphore} of one permit. A semaphore, not
 * Ignite's lock, because Python lets any process release a Lock (a consumer may release what a producer took);
 * failover-safe, so that the permit of a node that dies holding it comes back (a local Lock's dead owner is
 * recovered the same way). Not reentrant: a thread acquiring it twice waits for itself, as in Python.
 */
public final class ClusterLock extends ClusterObject implements SharedLock
{
    private static final long serialVersionUID = 1L;

    private transient volatile IgniteSemaphore semaphore;
    private final transient Acquired acquired = this::release;

    private ClusterLock(final Ignite ignite, final String name)
    {
        super(ignite, name);
    }

    static ClusterLock create(final Ignite ignite, final String name)
    {
        final String actual = name != null ? name : newName("Lock");
        final ClusterLock lock = new ClusterLock(ignite, actual);
        lock.semaphore = ignite.semaphore(actual, 1, true, true);
        ObjectRegistry.record(ignite, actual, "Lock", "");
        return lock;
    }

    private IgniteSemaphore semaphore()
    {
        IgniteSemaphore s = semaphore;
        if (s == null || s.removed())
        {
            s = ignite().semaphore(name(), 1, true, false);
            if (s == null)
            {
                throw gone();
            }
            semaphore = s;
        }
        return s;
    }

    @Override
    public void acquire()
    {
        semaphore().acquireUninterruptibly();
    }

    @Override
    public boolean acquire(final long timeout, final TimeUnit unit)
    {
        return tryAcquire(semaphore(), name(), timeout, unit);
    }

    /** A timed acquire that waits through interrupts (the flag stays set), as mp4j's local locks do. */
    static boolean tryAcquire(final IgniteSemaphore semaphore, final String name, final long timeout, final TimeUnit unit)
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
                    return semaphore.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
        return semaphore().tryAcquire();
    }

    /**
     * Releases the lock, whoever holds it.
     *
     * @throws IllegalStateException when it is not held (Python's "released too many times"); two racing releases
     *                               of one acquire may both pass this check, as two racing releases are a bug anyway.
     */
    @Override
    public void release()
    {
        final IgniteSemaphore s = semaphore();
        if (s.availablePermits() >= 1)
        {
            throw new IllegalStateException("Lock '" + name() + "' released too many times: it is not held");
        }
        s.release();
    }

    @Override
    public Acquired acquired()
    {
        acquire();
        return acquired;
    }

    /** True when held by some thread of some node. */
    public boolean isLocked()
    {
        return semaphore().availablePermits() < 1;
    }

    @Override
    public void destroy()
    {
        final IgniteSemaphore s = ignite().semaphore(name(), 1, true, false);
        if (s != null)
        {
            s.close();
        }
        ObjectRegistry.forget(ignite(), name());
    }
}
