package mp4j.pool;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The result of an asynchronous pool call, as Python's {@code AsyncResult}: {@link #get()} returns the value or
 * raises the task's exception; {@link #toCompletableFuture()} hands it to {@code java.util.concurrent} code.
 */
public final class AsyncResult<T>
{
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private final Executor callbacks;

    AsyncResult(final Executor callbacks)
    {
        this.callbacks = callbacks;
    }

    /** Waits for the result and returns it, or raises the task's exception (a {@link RemoteException}, ...). */
    public T get()
    {
        try
        {
            return future.get();
        }
        catch (final ExecutionException ex)
        {
            throw rethrow(ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a pool result");
        }
    }

    /** As {@link #get()}, waiting at most {@code timeout}; Python's {@code get(timeout)}. */
    public T get(final long timeout, final TimeUnit unit) throws TimeoutException
    {
        try
        {
            return future.get(timeout, unit);
        }
        catch (final ExecutionException ex)
        {
            throw rethrow(ex.getCause());
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

    /** Waits at most {@code timeout}; returns whether the result is ready. Python's {@code wait(timeout)}. */
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

    /** Whether the call has completed (successfully or not). */
    public boolean ready()
    {
        return future.isDone();
    }

    /** Whether it completed without raising; as Python, asking before it is ready is an error. */
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
     * thread that feeds the workers.
     */
    public CompletableFuture<T> toCompletableFuture()
    {
        return future.thenApplyAsync(value -> value, callbacks);
    }

    void complete(final T value)
    {
        future.complete(value);
    }

    void fail(final Throwable error)
    {
        future.completeExceptionally(error);
    }

    private static RuntimeException rethrow(final Throwable cause)
    {
        if (cause instanceof RuntimeException runtime)
        {
            return runtime;
        }
        if (cause instanceof Error error)
        {
            throw error;
        }
        return new CompletionException(cause);
    }

    @Override
    public String toString()
    {
        return "<AsyncResult " + (!future.isDone() ? "pending" : future.isCompletedExceptionally() ? "failed" :
            "ready") + ">";
    }
}
