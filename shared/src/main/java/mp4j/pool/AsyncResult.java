package mp4j.pool;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The result of an asynchronous pool call, as Python's {@code AsyncResult}, and a {@link Future}:
 * <ul>
 * <li>{@link #get()} is Future's: the value, or an {@link ExecutionException} whose cause is the task's exception
 *     as the worker raised it (its own type, the worker's stack trace; a {@link RemoteException} standing in
 *     when its class cannot be loaded here);</li>
 * <li>{@link #join()} is Python's {@code get()}: the value, or the task's exception thrown again here, unchecked,
 *     of the same type, whose stack trace is this call's and whose cause is the task's exception (as
 *     {@link Pool#map} and {@link Pool#apply} throw it);</li>
 * <li>{@link #toCompletableFuture()} hands it to {@code java.util.concurrent} code.</li>
 * </ul>
 * Cancelling it before a worker has taken its tasks means they never run; a task a worker has started runs on,
 * and its result is dropped.
 *
 * @param <T> the type of the call's result: the function's, or a list of them for a map
 */
public final class AsyncResult<T> implements Future<T>
{
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final Executor callbacks;

    AsyncResult(final Executor callbacks)
    {
        this.callbacks = callbacks;
    }

    /**
     * Waits for the result and returns it.
     *
     * @throws ExecutionException   its cause is the task's exception (or what stopped the call: a
     *                              {@link PoolClosedException}, a {@link WorkerDiedException}, ...).
     * @throws CancellationException the result was cancelled.
     */
    @Override
    public T get() throws InterruptedException, ExecutionException
    {
        return future.get();
    }

    /** As {@link #get()}, waiting at most {@code timeout}; Python's {@code get(timeout)}. */
    @Override
    public T get(final long timeout, final TimeUnit unit) throws InterruptedException, ExecutionException,
        TimeoutException
    {
        return future.get(timeout, unit);
    }

    /**
     * Python's {@code get()}: waits for the result and returns it, or throws the task's exception in this thread,
     * as a new exception of the same type whose cause is the task's exception (see {@link Pool#map}). Interrupted
     * while waiting, it throws a CancellationException and keeps the interrupt.
     *
     * @return the call's result, which may be null
     * @throws RuntimeException      the task's exception as {@link TaskException} re-makes it, or what stopped the
     *                               call ({@link PoolClosedException}, {@link WorkerDiedException}, ...)
     * @throws CancellationException if the result was cancelled, or this thread interrupted while waiting
     */
    public T join()
    {
        try
        {
            return future.get();
        }
        catch (final ExecutionException ex)
        {
            throw TaskException.inCaller(ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a pool result");
        }
    }

    /** Waits until the result is ready. */
    public void await()
    {
        try
        {
            future.handle((value, error) -> null).get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Waits at most {@code timeout} for the result, Python's {@code wait(timeout)}. Interrupted, it returns at once
     * with the interrupt kept.
     *
     * @param timeout how long to wait; 0 or negative only looks
     * @param unit    the unit of {@code timeout}
     * @return whether the result is ready (successful or not)
     */
    public boolean await(final long timeout, final TimeUnit unit)
    {
        try
        {
            future.handle((value, error) -> null).get(timeout, unit);
            return true;
        }
        catch (final TimeoutException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return future.isDone();
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Python's {@code ready()}: whether the call has completed, successfully or not.
     *
     * @return true once {@link #get()} would not wait
     */
    public boolean ready()
    {
        return future.isDone();
    }

    @Override
    public boolean isDone()
    {
        return future.isDone();
    }

    /**
     * Gives up on the result: tasks of this call that no worker has taken yet never run; one a worker runs
     * already goes on, and its result is dropped. Python's AsyncResult has no cancel.
     *
     * @param mayInterruptIfRunning ignored: a task in another process is not interrupted.
     */
    @Override
    public boolean cancel(final boolean mayInterruptIfRunning)
    {
        return future.cancel(false);
    }

    @Override
    public boolean isCancelled()
    {
        return future.isCancelled();
    }

    /**
     * Python's {@code successful()}: whether the call completed without raising.
     *
     * @return true if it completed with a result, false if it failed or was cancelled
     * @throws IllegalStateException if it has not completed yet, as Python raises ValueError
     */
    public boolean successful()
    {
        if (!future.isDone())
        {
            throw new IllegalStateException("the result is not ready yet; ask successful() after ready()");
        }
        return !future.isCompletedExceptionally();
    }

    /**
     * The result as a CompletableFuture; stages added to it run on the pool's callback thread, never on the
     * thread that feeds the workers. A failed call completes it with the task's exception.
     *
     * @return a new future completed after this result; completing or cancelling it leaves this result as it is
     */
    public CompletableFuture<T> toCompletableFuture()
    {
        return future.thenApplyAsync(value -> value, callbacks);
    }

    void complete(final T value)
    {
        future.complete(value);
    }

    /** Fails it with {@code error}: the task's exception when {@code error} carries one (TaskException). */
    void fail(final Throwable error)
    {
        future.completeExceptionally(TaskException.unwrap(error));
    }

    @Override
    public String toString()
    {
        return "<AsyncResult " + (!future.isDone() ? "pending" : future.isCancelled() ? "cancelled" :
            future.isCompletedExceptionally() ? "failed" : "ready") + ">";
    }
}
