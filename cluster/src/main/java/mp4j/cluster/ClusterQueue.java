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
            done = Reconnects.retry(ignite(), "Queue '" + name() + "' put", () -> offerOnce(value, block, timeoutMillis));
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

    /**
     * One try at a put; a blocking one waits in slices of at most {@link #SLICE_MS}, trying again between them.
     * Ignite's blocking queue calls wake on a message from the cluster; a client whose router was killed and that
     * was moved to another server while still looking for one got none any more (docs/cluster.md): an unsliced
     * {@code take()} would have waited forever for an item that was there.
     */
    private boolean offerOnce(final Object value, final boolean block, final long timeoutMillis)
    {
        final Object item = NullItem.wrap(value);
        final long end = deadline(timeoutMillis);
        while (true)
        {
            if (queue().offer(item))
            {
                return true;
            }
            Reconnects.UnderWay.progress();
            final long slice = slice(block, end);
            if (slice <= 0)
            {
                return false;
            }
            if (queue().offer(item, slice, TimeUnit.MILLISECONDS))
            {
                return true;
            }
        }
    }

    /** Blocking calls of Ignite's queue last at most this long each (see {@link #offerOnce}). */
    static final long SLICE_MS = 1_000;

    private static long deadline(final long timeoutMillis)
    {
        return timeoutMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** The next wait, in ms: 0 when not blocking or the time is up. */
    private static long slice(final boolean block, final long end)
    {
        if (!block)
        {
            return 0;
        }
        if (end == Long.MAX_VALUE)
        {
            return SLICE_MS;
        }
        final long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        return left <= 0 ? 0 : Math.min(SLICE_MS, left);
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
            item = Reconnects.retry(ignite(), "Queue '" + name() + "' get", () -> pollOnce(block, timeoutMillis));
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

    /** One try at a get; a blocking one waits in slices, as {@link #offerOnce}. */
    private Object pollOnce(final boolean block, final long timeoutMillis)
    {
        final long end = deadline(timeoutMillis);
        while (true)
        {
            Object item = queue().poll();
            if (item != null)
            {
                return item;
            }
            Reconnects.UnderWay.progress();
            final long slice = slice(block, end);
            if (slice <= 0)
            {
                return null;
            }
            item = queue().poll(slice, TimeUnit.MILLISECONDS);
            if (item != null)
            {
                return item;
            }
        }
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
        return Reconnects.retry(ignite(), "Queue '" + name() + "' qsize", () -> queue().size());
    }

    @Override
    public boolean empty()
    {
        return Reconnects.retry(ignite(), "Queue '" + name() + "' empty", () -> queue().isEmpty());
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
