package mp4j.pool;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** One call: {@code apply}, {@code applyAsync}, an executor's {@code submit}. */
final class ApplyJob<R> extends PoolJob
{
    final AsyncResult<R> result;
    /** Who made the call, for {@link Pool#takeQueued}: an executor's task, or null. */
    final Object tag;
    private final Consumer<? super R> callback;
    private final Consumer<? super RuntimeException> errorCallback;

    ApplyJob(final Executor callbacks, final Consumer<? super R> callback,
        final Consumer<? super RuntimeException> errorCallback, final Object tag)
    {
        super(callbacks);
        this.tag = tag;
        this.result = new AsyncResult<>(callbacks);
        this.callback = callback;
        this.errorCallback = errorCallback;
    }

    /** Done, or cancelled by the caller: its tasks still queued need not run. */
    @Override
    boolean isDone()
    {
        return super.isDone() || result.isDone();
    }

    @Override
    @SuppressWarnings("unchecked")
    void taskDone(final PoolTask task, final Object value)
    {
        finish(result, (R)value, null, callback, errorCallback);
    }

    @Override
    void taskFailed(final PoolTask task, final RuntimeException error)
    {
        finish(result, null, error, callback, errorCallback);
    }
}
