package mp4j.pool;

import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/** An {@code imap} or {@code imapUnordered}: results go to the iterator as each task finishes. */
final class IMapJob<R> extends PoolJob
{
    final IMapIterator<R> iterator;
    /** For an input read as it goes: chunks read and not yet taken by the caller; null for a collection. */
    final Semaphore chunksAhead;

    IMapJob(final Executor callbacks, final long length, final boolean ordered, final int chunksize,
        final Semaphore chunksAhead)
    {
        super(callbacks);
        this.iterator = new IMapIterator<>(length, ordered, chunksize, chunksAhead == null ? null : this::release);
        this.chunksAhead = chunksAhead;
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

    private void release()
    {
        if (chunksAhead != null)
        {
            chunksAhead.release();
        }
    }
}
