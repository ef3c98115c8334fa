package mp4j.pool;

import java.util.ArrayDeque;
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
 * raises its exception once, in place of its first item; the other items of that chunk are skipped.
 */
public final class IMapIterator<R> implements Iterator<R>, Iterable<R>
{
    private static final Object PENDING = new Object();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final boolean ordered;
    private final Object[] byPosition;
    private final boolean[] skipped;
    private final ArrayDeque<Object> byArrival = new ArrayDeque<>();
    private int expected;
    private int yielded;
    private int nextPosition;

    IMapIterator(final int length, final boolean ordered)
    {
        this.ordered = ordered;
        this.expected = length;
        this.byPosition = ordered ? new Object[length] : null;
        this.skipped = ordered ? new boolean[length] : null;
        if (ordered)
        {
            java.util.Arrays.fill(byPosition, PENDING);
        }
    }

    /** A value to yield, or a failure to raise. */
    private record Failure(RuntimeException error)
    {
    }

    void taskDone(final PoolTask task, final Object values)
    {
        lock.lock();
        try
        {
            for (int i = 0; i < task.count; i++)
            {
                final Object value = Packed.get(values, i);
                if (ordered)
                {
                    byPosition[task.first + i] = value;
                }
                else
                {
                    byArrival.addLast(value == null ? Nulls.NULL : value);
                }
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
            expected -= task.count - 1;
            if (ordered)
            {
                byPosition[task.first] = new Failure(error);
                for (int i = 1; i < task.count; i++)
                {
                    skipped[task.first + i] = true;
                }
            }
            else
            {
                byArrival.addLast(new Failure(error));
            }
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public boolean hasNext()
    {
        lock.lock();
        try
        {
            return yielded < expected;
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

    /** As {@link #next()}, waiting at most {@code timeout}: Python's {@code next(timeout)}. */
    @SuppressWarnings("unchecked")
    public R next(final long timeout, final TimeUnit unit) throws TimeoutException
    {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try
        {
            if (yielded >= expected)
            {
                throw new NoSuchElementException("all " + yielded + " results have been returned");
            }
            while (true)
            {
                final Object next = peek();
                if (next != PENDING)
                {
                    take();
                    yielded++;
                    if (next instanceof Failure failure)
                    {
                        throw failure.error();
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
        while (skipped[nextPosition])
        {
            nextPosition++;
        }
        final Object value = byPosition[nextPosition];
        return value == null ? Nulls.NULL : value;
    }

    private void take()
    {
        if (ordered)
        {
            byPosition[nextPosition++] = null; // let the caller's results be collected as it goes
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
