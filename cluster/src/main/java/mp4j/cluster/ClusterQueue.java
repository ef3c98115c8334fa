package mp4j.cluster;

import mp4j.queues.Empty;
import mp4j.queues.Full;
import mp4j.queues.SharedQueue;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.IgniteQueue;
import org.apache.ignite.configuration.CollectionConfiguration;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Queue} on a cluster: an {@link IgniteQueue} whose items are kept on at least one backup node
 * (Ignite's default is none: items would go with their node), so items put before a node dies are all still
 * there after. Values travel with Ignite's marshaller: any serializable value, null included.
 */
public class ClusterQueue extends ClusterObject implements SharedQueue
{
    private static final long serialVersionUID = 1L;

    /** The most items the queue holds before {@code put} blocks; 0 = unbounded. */
    private final int maxsize;
    /** Copies of each item kept on other nodes. */
    private final int backups;
    private transient volatile IgniteQueue<Object> queue;

    ClusterQueue(final Ignite ignite, final String name, final int maxsize, final int backups)
    {
        super(ignite, name);
        this.maxsize = maxsize;
        this.backups = backups;
    }

    static ClusterQueue create(final Ignite ignite, final String name, final int maxsize, final int backups)
    {
        final String actual = name != null ? name : newName("Queue");
        final ClusterQueue queue = new ClusterQueue(ignite, actual, check(maxsize), backups);
        queue.queue = open(ignite, actual, maxsize, backups, true);
        ObjectRegistry.record(ignite, actual, "Queue", maxsize == 0 ? "unbounded" : "maxsize " + maxsize);
        return queue;
    }

    static int check(final int maxsize)
    {
        if (maxsize < 0)
        {
            throw new IllegalArgumentException("maxsize must be >= 0 (0: unbounded), got " + maxsize);
        }
        return maxsize;
    }

    static IgniteQueue<Object> open(final Ignite ignite, final String name, final int maxsize, final int backups,
        final boolean create)
    {
        return ignite.queue(name, maxsize, create ? new CollectionConfiguration().setBackups(backups) : null);
    }

    final IgniteQueue<Object> queue()
    {
        IgniteQueue<Object> q = queue;
        if (q == null || q.removed())
        {
            q = open(ignite(), name(), maxsize, backups, false);
            if (q == null)
            {
                throw gone();
            }
            queue = q;
        }
        return q;
    }

    @Override
    public void put(final Object value) throws InterruptedException
    {
        offer(value, true, -1);
    }

    @Override
    public void put(final Object value, final boolean block, final long timeoutMillis) throws InterruptedException
    {
        refuseNegative(block, timeoutMillis);
        offer(value, block, timeoutMillis);
    }

    /**
     * Every put comes here (a JoinableQueue counts its unfinished tasks by overriding it); a negative timeout of a
     * blocking one waits as long as it takes ({@link #put(Object)}).
     *
     * @param value         the value, sent encoded.
     * @param block         whether to wait for a place in a full bounded queue.
     * @param timeoutMillis how long a blocking put waits, in milliseconds; negative: as long as it takes.
     * @throws Full                 when no place came in time (at once when not blocking).
     * @throws InterruptedException when this thread is interrupted while it waits.
     */
    protected void offer(final Object value, final boolean block, final long timeoutMillis) throws InterruptedException
    {
        final boolean done;
        try
        {
            if (!block)
            {
                done = queue().offer(NullItem.wrap(value));
            }
            else if (timeoutMillis < 0)
            {
                queue().put(NullItem.wrap(value));
                done = true;
            }
            else
            {
                done = queue().offer(NullItem.wrap(value), timeoutMillis, TimeUnit.MILLISECONDS);
            }
        }
        catch (final IgniteInterruptedException ex)
        {
            throw interrupted(ex);
        }
        if (!done)
        {
            throw new Full("queue '" + name() + "' is full (maxsize " + maxsize + ")");
        }
    }

    @Override
    public void putNowait(final Object value)
    {
        try
        {
            put(value, false, 0);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new Full("interrupted putting on queue '" + name() + "'");
        }
    }

    @Override
    public Object get() throws InterruptedException
    {
        return poll(true, -1);
    }

    @Override
    public Object get(final boolean block, final long timeoutMillis) throws InterruptedException
    {
        refuseNegative(block, timeoutMillis);
        return poll(block, timeoutMillis);
    }

    /** As Python's queue (ValueError), and as the local {@code Queue}: a blocking call's timeout is not negative. */
    private static void refuseNegative(final boolean block, final long timeoutMillis)
    {
        if (block && timeoutMillis < 0)
        {
            throw new IllegalArgumentException("'timeout' must be a non-negative number, got " + timeoutMillis +
                " ms; put(value) and get() wait as long as it takes");
        }
    }

    /** A get; a negative timeout of a blocking one waits as long as it takes ({@link #get()}). */
    private Object poll(final boolean block, final long timeoutMillis) throws InterruptedException
    {
        final Object item;
        try
        {
            if (!block)
            {
                item = queue().poll();
            }
            else if (timeoutMillis < 0)
            {
                item = queue().take();
            }
            else
            {
                item = queue().poll(timeoutMillis, TimeUnit.MILLISECONDS);
            }
        }
        catch (final IgniteInterruptedException ex)
        {
            throw interrupted(ex);
        }
        if (item == null)
        {
            throw new Empty("queue '" + name() + "' is empty");
        }
        return NullItem.unwrap(item);
    }

    @Override
    public Object getNowait()
    {
        try
        {
            return get(false, 0);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new Empty("interrupted getting from queue '" + name() + "'");
        }
    }

    @Override
    public int qsize()
    {
        return queue().size();
    }

    @Override
    public boolean empty()
    {
        return queue().isEmpty();
    }

    /**
     * The queue's bound, as Python's {@code Queue(maxsize)}.
     *
     * @return the most items it holds before {@code put} blocks; 0 = unbounded.
     */
    public int maxsize()
    {
        return maxsize;
    }

    /** This handle will not be used any more; the queue and its items stay for the others ({@link #destroy()} removes them). */
    @Override
    public void close()
    {
        queue = null;
    }

    @Override
    public void destroy()
    {
        final IgniteQueue<Object> q = open(ignite(), name(), maxsize, backups, false);
        if (q != null)
        {
            q.close();
        }
        ObjectRegistry.forget(ignite(), name());
    }

    private static InterruptedException interrupted(final IgniteInterruptedException ex)
    {
        final InterruptedException interrupted = new InterruptedException(ex.getMessage());
        interrupted.initCause(ex);
        return interrupted;
    }
}
