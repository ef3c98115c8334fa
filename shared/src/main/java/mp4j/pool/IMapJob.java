package mp4j.pool;

import java.util.concurrent.Executor;

/** An {@code imap} or {@code imapUnordered}: results go to the iterator as each task finishes. */
final class IMapJob<R> extends PoolJob
{
    final IMapIterator<R> iterator;

    IMapJob(final Executor callbacks, final int length, final boolean ordered)
    {
        super(callbacks);
        this.iterator = new IMapIterator<>(length, ordered);
    }

    @Override
    void taskDone(final PoolTask task, final Object value)
    {
        iterator.taskDone(task, value);
    }

    @Override
    void taskFailed(final PoolTask task, final RuntimeException error)
    {
        iterator.taskFailed(task, error);
    }
}
