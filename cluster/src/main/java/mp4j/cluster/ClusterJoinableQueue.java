package mp4j.cluster;

import mp4j.queues.SharedJoinableQueue;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code JoinableQueue} on a cluster: a {@link ClusterQueue}, an {@link IgniteAtomicLong} of unfinished
 * tasks ({@code <name>.unfinished}), and a lock whose condition {@link #join} waits on. A put counts before the
 * item goes in; {@link #taskDone} signals when the count reaches zero.
 */
public final class ClusterJoinableQueue extends ClusterQueue implements SharedJoinableQueue
{
    private static final long serialVersionUID = 1L;
    private static final long SLICE_NS = TimeUnit.SECONDS.toNanos(1);

    private static final String UNKNOWN_COUNT = "whether its count of unfinished tasks changed is unknown " +
        "(see unfinishedTasks()); a join() may wait for a task that is not there";

    /** The RLock that keeps the unfinished count and its waiters in step. */
    private final ClusterRLock lock;
    private transient volatile IgniteAtomicLong unfinished;
    /** Who waits in {@code join()} for the unfinished count to reach 0 ({@code <name>.allDone}). */
    private final Waiters allDone;

    private ClusterJoinableQueue(final Ignite ignite, final String name, final int maxsize, final int backups,
        final ClusterRLock lock)
    {
        super(ignite, name, maxsize, backups);
        this.lock = lock;
        this.allDone = new Waiters(ignite, name + ".allDone");
    }

    static ClusterJoinableQueue create(final Ignite ignite, final String name, final int maxsize, final int backups)
    {
        final String actual = name != null ? name : newName("JoinableQueue");
        final ClusterJoinableQueue queue = new ClusterJoinableQueue(ignite, actual, check(maxsize), backups,
            ClusterRLock.attachOrCreate(ignite, actual + ".lock"));
        open(ignite, actual, maxsize, backups, true);
        queue.unfinished = ignite.atomicLong(actual + ".unfinished", 0, true);
        ObjectRegistry.record(ignite, actual, "JoinableQueue", maxsize == 0 ? "unbounded" : "maxsize " + maxsize);
        return queue;
    }

    private IgniteAtomicLong unfinished()
    {
        IgniteAtomicLong u = unfinished;
        if (u == null || u.removed())
        {
            u = ignite().atomicLong(name() + ".unfinished", 0, false);
            if (u == null)
            {
                throw gone();
            }
            unfinished = u;
        }
        return u;
    }

    @Override
    protected void offer(final Object value, final boolean block, final long timeoutMillis) throws InterruptedException
    {
        Reconnects.once(ignite(), "JoinableQueue '" + name() + "' put", UNKNOWN_COUNT, () -> unfinished().incrementAndGet());
        boolean done = false;
        try
        {
            super.offer(value, block, timeoutMillis);
            done = true;
        }
        finally
        {
            if (!done)
            {
                Reconnects.once(ignite(), "JoinableQueue '" + name() + "' put", UNKNOWN_COUNT,
                    () -> unfinished().decrementAndGet());
            }
        }
    }

    @Override
    public void taskDone()
    {
        final long left = Reconnects.once(ignite(), "JoinableQueue '" + name() + "' taskDone", UNKNOWN_COUNT,
            () -> unfinished().decrementAndGet());
        if (left < 0)
        {
            unfinished().incrementAndGet();
            throw new IllegalStateException("taskDone() called more times than items were put on queue '" + name() + "'");
        }
        if (left == 0)
        {
            lock.acquire();
            try
            {
                allDone.notify(ignite(), Integer.MAX_VALUE);
            }
            finally
            {
                lock.release();
            }
        }
    }

    @Override
    public void join() throws InterruptedException
    {
        join(-1);
    }

    @Override
    public boolean join(final long timeoutMillis) throws InterruptedException
    {
        final long start = System.nanoTime();
        final long timeoutNs = timeoutMillis < 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.acquire();
        try
        {
            while (unfinishedTasks() > 0)
            {
                if (Thread.interrupted())
                {
                    throw new InterruptedException("interrupted joining queue '" + name() + "'");
                }
                final long left = timeoutNs == Long.MAX_VALUE ? SLICE_NS : timeoutNs - (System.nanoTime() - start);
                if (left <= 0)
                {
                    return false;
                }
                allDone.await(ignite(), lock, Math.min(left, SLICE_NS));
            }
            return true;
        }
        finally
        {
            lock.release();
        }
    }

    /**
     * Items put and not yet marked done.
     *
     * @return the unfinished count now, as the cluster holds it; {@code join()} returns once it is 0.
     */
    public long unfinishedTasks()
    {
        return Reconnects.retry(ignite(), "JoinableQueue '" + name() + "' unfinished", () -> unfinished().get());
    }

    @Override
    public void destroy()
    {
        super.destroy();
        final IgniteAtomicLong u = ignite().atomicLong(name() + ".unfinished", 0, false);
        if (u != null)
        {
            u.close();
        }
        allDone.destroy(ignite());
        lock.destroyQuietly();
    }
}
