package mp4j.cluster;

import mp4j.context.SharedCondition;
import mp4j.synchronize.Acquired;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCondition;
import org.apache.ignite.IgniteInterruptedException;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code Condition} on a cluster: the {@link IgniteCondition} of a {@link ClusterRLock} (its own, or one
 * given). Ignite's conditions belong to its reentrant lock, so a Condition over a plain {@link ClusterLock}
 * (allowed in Python) is refused with a clear error. As everywhere, wait in a loop or with {@link #waitFor}: a
 * wake-up may be spurious.
 */
public final class ClusterCondition extends ClusterObject implements SharedCondition
{
    private static final long serialVersionUID = 1L;

    private final ClusterRLock lock;
    private final boolean ownLock;
    private transient volatile IgniteCondition condition;

    private ClusterCondition(final Ignite ignite, final String name, final ClusterRLock lock, final boolean ownLock)
    {
        super(ignite, name);
        this.lock = lock;
        this.ownLock = ownLock;
    }

    static ClusterCondition create(final Ignite ignite, final String name, final ClusterRLock given)
    {
        final String actual = name != null ? name : newName("Condition");
        final ClusterRLock lock = given != null ? given : ClusterRLock.attachOrCreate(ignite, actual + ".lock");
        final ClusterCondition condition = new ClusterCondition(ignite, actual, lock, given == null);
        condition.condition = lock.condition(actual);
        ObjectRegistry.record(ignite, actual, "Condition", "lock " + lock.name());
        return condition;
    }

    private IgniteCondition condition()
    {
        IgniteCondition c = condition;
        if (c == null)
        {
            c = condition = lock.condition(name());
        }
        return c;
    }

    @Override
    public ClusterRLock getLock()
    {
        return lock;
    }

    @Override
    public void acquire()
    {
        lock.acquire();
    }

    @Override
    public boolean acquire(final long timeout, final TimeUnit unit)
    {
        return lock.acquire(timeout, unit);
    }

    @Override
    public void release()
    {
        lock.release();
    }

    @Override
    public Acquired acquired()
    {
        return lock.acquired();
    }

    @Override
    public void await()
    {
        checkOwned("wait on");
        condition().awaitUninterruptibly();
    }

    @Override
    public boolean await(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        checkOwned("wait on");
        return awaitNanos(condition(), unit.toNanos(timeout));
    }

    /** Waits at most {@code nanos} through interrupts (the flag stays set); false when the time ran out. */
    static boolean awaitNanos(final IgniteCondition condition, final long nanos)
    {
        final long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return condition.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (final IgniteInterruptedException ex)
                {
                    interrupted = true;
                    Thread.interrupted();
                    if (deadline - System.nanoTime() <= 0)
                    {
                        return false;
                    }
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
    public boolean waitFor(final BooleanSupplier predicate, final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean result = predicate.getAsBoolean();
        while (!result)
        {
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                break;
            }
            await(left, TimeUnit.NANOSECONDS);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    @Override
    public void notify(final int n)
    {
        if (n < 0)
        {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        checkOwned("notify on");
        if (n == Integer.MAX_VALUE)
        {
            condition().signalAll();
            return;
        }
        for (int i = 0; i < n; i++)
        {
            condition().signal();
        }
    }

    @Override
    public void signal()
    {
        notify(1);
    }

    @Override
    public void signalAll()
    {
        notify(Integer.MAX_VALUE);
    }

    private void checkOwned(final String what)
    {
        if (!lock.isOwned())
        {
            throw new IllegalStateException("cannot " + what + " condition '" + name() + "': its lock is not held " +
                "by this thread; acquire it first");
        }
    }

    @Override
    public void destroy()
    {
        if (ownLock)
        {
            lock.destroyQuietly();
        }
        ObjectRegistry.forget(ignite(), name());
    }
}
