package mp4j.pool;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What one pool call is waiting for: it hears of each of its tasks once, done or failed, on the pool's handler
 * thread, and completes its result there or on the callback thread when it has callbacks.
 */
abstract class PoolJob
{
    private final Executor callbacks;
    private boolean done;

    PoolJob(final Executor callbacks)
    {
        this.callbacks = callbacks;
    }

    /** A task of this job finished; {@code value} is an Object[] of results for a chunk, the result for a call. */
    abstract void taskDone(PoolTask task, Object value);

    /**
     * A task of this job failed: it raised (a {@link TaskException} carries what it raised), its worker died too
     * often, or the pool was terminated.
     */
    abstract void taskFailed(PoolTask task, RuntimeException error);

    /** True once the caller has its answer: tasks still queued for it need not run. */
    boolean isDone()
    {
        return done;
    }

    /** Completes {@code result} once, running Python-style callbacks first, on the callback thread. */
    final <T> void finish(final AsyncResult<T> result, final T value, final RuntimeException error,
        final Consumer<? super T> callback, final Consumer<? super RuntimeException> errorCallback)
    {
        if (done)
        {
            return;
        }
        done = true;
        if (result.isCancelled())
        {
            return; // the caller gave up on it: no callback either
        }
        if (callback == null && errorCallback == null)
        {
            complete(result, value, error);
            return;
        }
        callbacks.execute(() ->
        {
            try
            {
                if (error == null && callback != null)
                {
                    callback.accept(value);
                }
                else if (error != null && errorCallback != null)
                {
                    errorCallback.accept(TaskException.forCallback(error));
                }
            }
            catch (final RuntimeException | Error ex)
            {
                System.err.println("mp4j: a pool callback raised " + ex);
                ex.printStackTrace();
            }
            complete(result, value, error); // as Python: get() returns after the callback has run
        });
    }

    private static <T> void complete(final AsyncResult<T> result, final T value, final RuntimeException error)
    {
        if (error == null)
        {
            result.complete(value);
        }
        else
        {
            result.fail(error);
        }
    }
}
