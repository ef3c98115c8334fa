package mp4j.pool;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** A whole map: the list of results in input order, or the first failure (as Python's {@code MapResult}). */
final class MapJob<R> extends PoolJob
{
    final AsyncResult<List<R>> result;
    private final Object[] chunks;
    private final int chunkSize;
    private final int length;
    private final Consumer<? super List<R>> callback;
    private final Consumer<? super RuntimeException> errorCallback;
    private int tasksLeft;

    MapJob(final Executor callbacks, final int length, final int chunkSize, final int tasks,
        final Consumer<? super List<R>> callback, final Consumer<? super RuntimeException> errorCallback)
    {
        super(callbacks);
        this.result = new AsyncResult<>(callbacks);
        this.chunks = new Object[tasks];
        this.chunkSize = chunkSize;
        this.length = length;
        this.tasksLeft = tasks;
        this.callback = callback;
        this.errorCallback = errorCallback;
        if (tasks == 0)
        {
            finish(result, List.of(), null, callback, errorCallback);
        }
    }

    /** Done, or cancelled by the caller: its tasks still queued need not run. */
    @Override
    boolean isDone()
    {
        return super.isDone() || result.isDone();
    }

    @Override
    void taskDone(final PoolTask task, final Object value)
    {
        chunks[(int)(task.first / chunkSize)] = value; // kept packed (see Packed) until the caller reads it
        if (--tasksLeft == 0)
        {
            finish(result, Packed.list(chunks, chunkSize, length), null, callback, errorCallback);
        }
    }

    @Override
    void taskFailed(final PoolTask task, final RuntimeException error)
    {
        finish(result, null, error, callback, errorCallback);
    }
}
