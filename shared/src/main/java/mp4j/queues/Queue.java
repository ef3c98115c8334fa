package mp4j.queues;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SharedObject;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Queue(maxsize)}: FIFO values between any processes and threads of a session.
 * Pass it to workers as an argument; they share it. Values are encoded as {@link mp4j.codec.ValueCodec} does;
 * those longer than a ring record still go, in fragments. How it works, and its bytes: {@link QueueCore}.
 * <pre>{@code
 * Queue q = new Queue();
 * new Process(args -> ((Queue)args[0]).put("hello"), q).start();
 * System.out.println(q.get());   // hello
 * }</pre>
 * Differences from Python: a put is in the queue when put returns (no feeder thread), so {@code close} and
 * {@code joinThread} have nothing to flush; {@code qsize} is exact when no put or get is half done. An unbounded
 * queue ({@code maxsize} 0) still holds at most its ring's bytes ({@link QueueCore#DEFAULT_CAPACITY}, or the
 * capacity given to {@link #create}): past that, put waits for a get, as Python's feeder thread waits on its
 * pipe (where Python would buffer in the producer's memory instead).
 */
public class Queue extends SharedObject implements AutoCloseable, mp4j.context.SharedQueue
{
    private static final long serialVersionUID = 1L;

    final transient QueueCore core;

    /** An unbounded queue in the current session. */
    public Queue()
    {
        this(0);
    }

    /** A queue of at most {@code maxsize} values (0: unbounded) in the current session. */
    public Queue(final int maxsize)
    {
        this(Session.current(), QueueCore.allocate(Session.current(), ObjectKind.QUEUE, null, maxsize,
            QueueCore.DEFAULT_CAPACITY));
    }

    /**
     * @param capacity ring bytes (rounded up to a power of two); a value takes its encoding plus 8 bytes, aligned
     *                 to 8, so 8-byte longs take 24; bounds the queue as well as maxsize does.
     */
    public static Queue create(final Session session, final String name, final int maxsize, final int capacity)
    {
        return new Queue(session, QueueCore.allocate(session, ObjectKind.QUEUE, name, maxsize, capacity));
    }

    /** Attaches to an existing queue. */
    public Queue(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        this.core = new QueueCore(session, entry);
    }

    /** Puts {@code value}, waiting for room when the queue is full. */
    public void put(final Object value) throws InterruptedException
    {
        put(value, true, -1);
    }

    /**
     * Python's {@code put(obj, block, timeout)}.
     *
     * @param timeoutMillis negative waits as long as it takes.
     * @throws Full when no room came in time (at once when not blocking).
     */
    public void put(final Object value, final boolean block, final long timeoutMillis) throws InterruptedException
    {
        core.put(value, block, nanos(timeoutMillis), false);
    }

    /** @throws Full at once when there is no room. */
    public void putNowait(final Object value)
    {
        try
        {
            core.put(value, false, 0, false);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new Full("interrupted putting on queue '" + name() + "'");
        }
    }

    /** Gets the next value, waiting for one. */
    public Object get() throws InterruptedException
    {
        return core.get(true, -1);
    }

    /**
     * Python's {@code get(block, timeout)}.
     *
     * @param timeoutMillis negative waits as long as it takes.
     * @throws Empty when no value came in time (at once when not blocking).
     */
    public Object get(final boolean block, final long timeoutMillis) throws InterruptedException
    {
        return core.get(block, nanos(timeoutMillis));
    }

    /** @throws Empty at once when there is no value (or another consumer has the turn). */
    public Object getNowait()
    {
        try
        {
            return core.get(false, 0);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new Empty("interrupted getting from queue '" + name() + "'");
        }
    }

    /** Values in the queue: approximate while puts and gets are under way, as Python's. */
    public int qsize()
    {
        return (int)Math.min(Integer.MAX_VALUE, core.qsize());
    }

    public boolean empty()
    {
        return core.qsize() == 0;
    }

    /** True when a bounded queue has maxsize values (or places promised to puts under way). */
    public boolean full()
    {
        return core.full();
    }

    public int maxsize()
    {
        return core.maxsize();
    }

    /** This process will neither put nor get on this handle any more, as Python's (other processes go on). */
    @Override
    public void close()
    {
        core.close();
    }

    /** Python's {@code join_thread}: nothing to wait for, puts are written when put returns. */
    public void joinThread()
    {
    }

    /** Python's {@code cancel_join_thread}: nothing to cancel. */
    public void cancelJoinThread()
    {
    }

    static long nanos(final long timeoutMillis)
    {
        return timeoutMillis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "[" + name() + ", qsize " + qsize() + "]";
    }

    /** Inspector line for QUEUE, SIMPLE_QUEUE and JOINABLE_QUEUE entries. */
    public static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        QueueCore.describe(session, entry, out);
    }
}
