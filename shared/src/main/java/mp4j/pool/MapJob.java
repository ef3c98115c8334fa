package mp4j.pool;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** A whole map: the list of results in input order, or the first failure (as Python's {@code MapResult}). */
final class MapJob<R> extends PoolJob
{
    final AsyncResult<List<R>> result;
    private final Object[] values;
    private final Consumer<? super List<R>> callback;
    private final Consumer<? super RuntimeException> errorCallback;
    private int tasksLeft;

    MapJob(final Executor callbacks, final int length, final int tasks, final Consumer<? super List<R>> callback,
        final Consumer<? super RuntimeException> errorCallback)
    {
        super(callbacks);
        this.result = new AsyncResult<>(callbacks);
        this.values = new Object[length];
        this.tasksLeft = tasks;
        this.callback = callback;
        this.errorCallback = errorCallback;
        if (tasks == 0)
        {
            finish(result, List.of(), null, callback, errorCallback);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    void taskDone(final PoolTask task, final Object value)
    {
        final Object[] chunk = (Object[])value;
        System.arraycopy(chunk, 0, values, task.first, task.count);
        if (--tasksLeft == 0)
        {
            finish(result, (List<R>)Collections.unmodifiableList(Arrays.asList(values)), null, callback,
                errorCallback);
        }
    }

    @Override
    void taskFailed(final PoolTask task, final RuntimeException error)
    {
        finish(result, null, error, callback, errorCallback);
    }
}
