package mp4j.queues;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SharedObject;

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
 * An unbounded queue ({@code maxsize} 0) is unbounded as Python's: a put never waits for a consumer; what its ring
 * (1 MiB, or the capacity given to {@link #create}) has no room for goes into files beside the session file,
 * freed as they are read, so "fill the task queue, then start the workers" works for any number of tasks that
 * fits in memory. (A put that finds the ring full while a consumer is taking values waits a moment, at most a
 * millisecond, for the room that frees.) A bounded queue waits for a place only: {@link #full()} is true exactly
 * when {@link #putNowait} would raise {@link Full}.
 * <p>
 * Differences from Python: a put is in the queue when put returns (no feeder thread), so {@code close} and
 * {@code joinThread} have nothing to flush, and a value put in one process can be got in another at once;
 * {@code qsize} is exact when no put or get is half done. A value the receiving process may not deserialize
 * (see {@link mp4j.codec.SerialFilter}) is taken off the queue and handed over in the
 * {@link mp4j.codec.CodecException} that {@code get} throws, never dropped silently.
 */
public class Queue extends SharedObject implements AutoCloseable, Waitable, SharedQueue
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
            QueueLayout.DEFAULT_CAPACITY));
    }

    /**
     * @param capacity ring bytes (rounded up to a power of two); a value takes its encoding plus 8 bytes, aligned
     *                 to 8, so 8-byte longs take 24. What does not fit goes to the queue's spill files.
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

    /** Puts {@code value}; a bounded queue's put waits for a place when it is full, an unbounded one's never. */
    public void put(final Object value) throws InterruptedException
    {
        core.put(value, true, -1, false);
    }

    /**
     * Python's {@code put(obj, block, timeout)}.
     *
     * @param timeoutMillis how long a blocking put on a full bounded queue waits; ignored when not blocking.
     * @throws Full when no place came in time (at once when not blocking).
     * @throws IllegalArgumentException when blocking with a negative timeout (Python's ValueError);
     *         {@link #put(Object)} waits without a limit.
     */
    public void put(final Object value, final boolean block, final long timeoutMillis) throws InterruptedException
    {
        core.put(value, block, nanos(block, timeoutMillis, "put"), false);
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

    /**
     * Gets the next value, waiting for one.
     *
     * @throws mp4j.codec.CodecException when the value may not be deserialized here: it is taken off the queue and
     *         kept in the exception ({@link mp4j.codec.CodecException#encoded()}), whose message says how to allow it.
     */
    public Object get() throws InterruptedException
    {
        return core.get(true, -1);
    }

    /**
     * Python's {@code get(block, timeout)}.
     *
     * @param timeoutMillis how long a blocking get waits for a value; ignored when not blocking.
     * @throws Empty when no value came in time (at once when not blocking).
     * @throws IllegalArgumentException when blocking with a negative timeout (Python's ValueError); {@link #get()}
     *         waits without a limit.
     */
    public Object get(final boolean block, final long timeoutMillis) throws InterruptedException
    {
        return core.get(block, nanos(block, timeoutMillis, "get"));
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
        return core.empty();
    }

    /**
     * True when a bounded queue has maxsize values (or places promised to puts under way): exactly when
     * {@link #putNowait} would raise {@link Full}. An unbounded queue is never full.
     */
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

    /** A blocking call's timeout in nanoseconds; a negative one is refused, as Python's queue refuses it. */
    static long nanos(final boolean block, final long timeoutMillis, final String call)
    {
        if (!block)
        {
            return 0;
        }
        if (timeoutMillis < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeoutMillis + " ms (Python's " +
                "ValueError); use " + call + "(" + (call.equals("put") ? "value" : "") + ") to wait without a limit");
        }
        return TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** For {@link Connection#wait(java.util.Collection, long)}: true when a value can be got now. */
    @Override
    public boolean ready()
    {
        return core.hasValue();
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "[" + name() + ", qsize " + qsize() + "]";
    }
}
