package mp4j.pool;

/** One message of work for a worker: a chunk of a map, or one call. Owned by the pool's handler thread. */
final class PoolTask
{
    final long id;
    final PoolJob job;
    final long first;
    final int count;
    final FunctionDef function;
    final byte[] message;
    int attempts;
    long givenNanos;
    /** Its number among the tasks given to its worker's current process (see WorkerHandle#lostToProbe). */
    long seq;

    PoolTask(final long id, final PoolJob job, final long first, final int count, final FunctionDef function,
        final byte[] message)
    {
        this.id = id;
        this.job = job;
        this.first = first;
        this.count = count;
        this.function = function;
        this.message = message;
    }
}
