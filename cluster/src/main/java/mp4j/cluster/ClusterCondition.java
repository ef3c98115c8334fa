package mp4j.cluster;

import mp4j.synchronize.Acquired;
import mp4j.synchronize.SharedCondition;
import org.apache.ignite.Ignite;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code Condition} on a cluster: a {@link ClusterRLock} (its own, or one given) and its {@link Waiters}.
 * {@link #await} releases the lock entirely (every level), waits for a wake-up, and takes it back. As everywhere,
 * wait in a loop or with {@link #waitFor}: a wake-up may be spurious. A Condition over a plain {@link ClusterLock}
 * (allowed in Python) is refused: its waiter could not tell that it holds the lock.
 */
public final class ClusterCondition extends ClusterObject implements SharedCondition
{
    private static final long serialVersionUID = 1L;

    /** The RLock a waiter must hold: the one given, or one made for this condition alone. */
    private final ClusterRLock lock;
    /** True when the lock was made for this condition, so that {@code destroy()} removes it too. */
    private final boolean ownLock;
    /** The threads waiting on this condition ({@code <name>.sleepers}, {@code <name>.signals}). */
    private final Waiters waiters;

    private ClusterCondition(final Ignite ignite, final String name, final ClusterRLock lock, final boolean ownLock)
    {
        super(ignite, name);
        this.lock = lock;
        this.ownLock = ownLock;
        this.waiters = new Waiters(ignite, name);
    }

    static ClusterCondition create(final Ignite ignite, final String name, final ClusterRLock given)
    {
        final String actual = name != null ? name : newName("Condition");
        final ClusterRLock lock = given != null ? given : ClusterRLock.attachOrCreate(ignite, actual + ".lock");
        final ClusterCondition condition = new ClusterCondition(ignite, actual, lock, given == null);
        ObjectRegistry.record(ignite, actual, "Condition", "lock " + lock.name());
        return condition;
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
        waiters.await(ignite(), lock, Long.MAX_VALUE);
    }

    @Override
    public boolean await(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        checkOwned("wait on");
        return waiters.await(ignite(), lock, unit.toNanos(timeout));
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
        waiters.notify(ignite(), n);
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
        waiters.destroy(ignite());
        if (ownLock)
        {
            lock.destroyQuietly();
        }
        ObjectRegistry.forget(ignite(), name());
    }
}
