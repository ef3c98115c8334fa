package mp4j.pool;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The results of {@code imap} (input order) or {@code imapUnordered} (completion order), as Python's
 * {@code IMapIterator}: each arrives as soon as its task is done, while later tasks still run. A failed task
 * raises its exception once, in place of its first item, as {@link Pool#map} does (same type, cause the task's
 * exception); the other items of that chunk are skipped. When the input
 * is not a collection, its length is known only once it has been read to the end: {@link #hasNext()} then waits
 * until it knows.
 *
 * @param <R> the type of the function's results
 */
public final class IMapIterator<R> implements Iterator<R>, Iterable<R>
{
    private static final Object PENDING = new Object();
    private static final Object SKIPPED = new Object();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final boolean ordered;
    /** Ordered: results that arrived and were not returned yet, by input position. */
    private final HashMap<Long, Object> byPosition = new HashMap<>();
    /** Unordered: results in the order they arrived. */
    private final ArrayDeque<Object> byArrival = new ArrayDeque<>();
    private long total = -1;
    private long skipped;
    private long yielded;
    private long nextPosition;

    private final int chunksize;
    private final Runnable chunkTaken;
    private int takenOfChunk;

    /**
     * @param chunkTaken run each time the caller has taken a chunk's worth of results (or a failure), so that the
     *                   reader of a streamed input stays a bounded distance ahead of the caller; may be null.
     */
    IMapIterator(final long length, final boolean ordered, final int chunksize, final Runnable chunkTaken)
    {
        this.ordered = ordered;
        this.total = length;
        this.chunksize = chunksize;
        this.chunkTaken = chunkTaken;
    }

    /** A failure to raise in place of a value. */
    private record Failure(RuntimeException error)
    {
    }

    /** The input has ended after {@code length} items (for an input whose length was not known up front). */
    void inputEnded(final long length)
    {
        lock.lock();
        try
        {
            total = length;
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Reading the input failed after {@code length} items: the caller gets {@code error} there, then the end. */
    void inputFailed(final long length, final RuntimeException error)
    {
        lock.lock();
        try
        {
            put(length, new Failure(error));
            total = length + 1;
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    void taskDone(final PoolTask task, final Object values)
    {
        lock.lock();
        try
        {
            for (int i = 0; i < task.count; i++)
            {
                final Object value = Packed.get(values, i);
                put(task.first + i, value == null ? Nulls.NULL : value);
            }
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    void taskFailed(final PoolTask task, final RuntimeException error)
    {
        lock.lock();
        try
        {
            skipped += task.count - 1;
            put(task.first, new Failure(error));
            for (int i = 1; i < task.count; i++)
            {
                put(task.first + i, SKIPPED);
            }
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void put(final long position, final Object value)
    {
        if (!ordered)
        {
            if (value != SKIPPED)
            {
                byArrival.addLast(value);
            }
            return;
        }
        byPosition.put(position, value);
    }

    /** Whether another result (or failure) will come; waits while the input's length is not known yet. */
    @Override
    public boolean hasNext()
    {
        lock.lock();
        try
        {
            while (true)
            {
                if (total >= 0)
                {
                    return yielded < total - skipped;
                }
                if (peek() != PENDING)
                {
                    return true;
                }
                arrived.awaitUninterruptibly();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** The next result, waiting for it; raises the task's exception where a task failed. */
    @Override
    public R next()
    {
        try
        {
            return next(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException(ex); // cannot happen with an unbounded wait
        }
    }

    /**
     * As {@link #next()}, waiting at most {@code timeout}: Python's {@code next(timeout)}. Interrupted while
     * waiting, it throws a CancellationException and keeps the interrupt.
     *
     * @param timeout how long to wait for the next result; 0 or negative takes one only if it has arrived
     * @param unit    the unit of {@code timeout}
     * @return the next result (in input order for {@code imap}, completion order for {@code imapUnordered}),
     *         which may be null
     * @throws TimeoutException       if no result arrived in time; a later call may still return it
     * @throws NoSuchElementException if every result has been returned
     * @throws RuntimeException       the task's exception, re-made as {@link TaskException} describes, in place of
     *                                the first item of its chunk
     */
    @SuppressWarnings("unchecked")
    public R next(final long timeout, final TimeUnit unit) throws TimeoutException
    {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try
        {
            while (true)
            {
                if (total >= 0 && yielded >= total - skipped)
                {
                    throw new NoSuchElementException("all " + yielded + " results have been returned");
                }
                final Object next = peek();
                if (next != PENDING)
                {
                    take();
                    yielded++;
                    if (chunkTaken != null && (next instanceof Failure || ++takenOfChunk == chunksize))
                    {
                        takenOfChunk = 0;
                        chunkTaken.run();
                    }
                    if (next instanceof Failure failure)
                    {
                        throw TaskException.inCaller(failure.error());
                    }
                    return next == Nulls.NULL ? null : (R)next;
                }
                if (nanos <= 0)
                {
                    throw new TimeoutException("no result within " + timeout + " " + unit.toString().toLowerCase());
                }
                nanos = arrived.awaitNanos(nanos);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for an imap result");
        }
        finally
        {
            lock.unlock();
        }
    }

    private Object peek()
    {
        if (!ordered)
        {
            return byArrival.isEmpty() ? PENDING : byArrival.peekFirst();
        }
        Object value;
        while ((value = byPosition.get(nextPosition)) == SKIPPED)
        {
            byPosition.remove(nextPosition++);
        }
        return value == null ? PENDING : value;
    }

    private void take()
    {
        if (ordered)
        {
            byPosition.remove(nextPosition++);
        }
        else
        {
            byArrival.pollFirst();
        }
    }

    @Override
    public Iterator<R> iterator()
    {
        return this;
    }

    /** Stands for a null result where a null would mean "nothing here". */
    private enum Nulls
    {
        NULL
    }
}
