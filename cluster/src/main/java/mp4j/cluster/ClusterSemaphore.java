package mp4j.cluster;

import mp4j.context.SharedSemaphore;
import mp4j.synchronize.Acquired;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteSemaphore;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Semaphore} and {@code BoundedSemaphore} on a cluster: a failover-safe {@link IgniteSemaphore}
 * (the permits of a node that dies holding them come back). A bounded one checks its bound before each release;
 * two releases racing at the bound may both pass, which a local BoundedSemaphore would refuse.
 */
public final class ClusterSemaphore extends ClusterObject implements SharedSemaphore
{
    private static final long serialVersionUID = 1L;

    /** Long.MAX_VALUE for an unbounded one. */
    private final long bound;
    private final int initial;
    private transient volatile IgniteSemaphore semaphore;
    private final transient Acquired acquired = this::release;

    private ClusterSemaphore(final Ignite ignite, final String name, final int initial, final long bound)
    {
        super(ignite, name);
        this.initial = initial;
        this.bound = bound;
    }

    static ClusterSemaphore create(final Ignite ignite, final String name, final int value, final boolean bounded)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("semaphore initial value must be >= 0, got " + value);
        }
        final String kind = bounded ? "BoundedSemaphore" : "Semaphore";
        final String actual = name != null ? name : newName(kind);
        final ClusterSemaphore semaphore = new ClusterSemaphore(ignite, actual, value, bounded ? value : Long.MAX_VALUE);
        semaphore.semaphore = ignite.semaphore(actual, value, true, true);
        ObjectRegistry.record(ignite, actual, kind, "value " + value);
        return semaphore;
    }

    private IgniteSemaphore semaphore()
    {
        IgniteSemaphore s = semaphore;
        if (s == null || s.removed())
        {
            s = ignite().semaphore(name(), initial, true, false);
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
        return ClusterLock.tryAcquire(semaphore(), name(), timeout, unit);
    }

    @Override
    public boolean tryAcquire()
    {
        return semaphore().tryAcquire();
    }

    @Override
    public void release()
    {
        final IgniteSemaphore s = semaphore();
        if (bound != Long.MAX_VALUE && s.availablePermits() >= bound)
        {
            throw new IllegalStateException("BoundedSemaphore '" + name() + "' released too many times: its value is " +
                "already its bound " + bound);
        }
        s.release();
    }

    @Override
    public Acquired acquired()
    {
        acquire();
        return acquired;
    }

    @Override
    public long getValue()
    {
        return semaphore().availablePermits();
    }

    @Override
    public void destroy()
    {
        final IgniteSemaphore s = ignite().semaphore(name(), initial, true, false);
        if (s != null)
        {
            s.close();
        }
        ObjectRegistry.forget(ignite(), name());
    }
}
