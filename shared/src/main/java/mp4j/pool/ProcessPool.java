package mp4j.pool;


import java.util.List;

/**
 * What a context's pool does: Python's {@code Pool.map}, {@code starmap} and {@code apply}, with results in input
 * order and a task's exception raised in the caller as {@link Pool#map} raises it, in every context: its own type,
 * the caller's stack trace, the task's exception as cause ({@link TaskException}). The local
 * {@link mp4j.pool.Pool} has more (imap, async calls, worker records).
 */
public interface ProcessPool extends AutoCloseable
{
    /** Tasks that may run at once. */
    int processes();

    <T, R> List<R> map(RemoteFunction<? super T, ? extends R> function, Iterable<? extends T> items);

    /** As {@link #map(RemoteFunction, Iterable)}, {@code chunksize} items per task (0: Python's rule). */
    <T, R> List<R> map(RemoteFunction<? super T, ? extends R> function, Iterable<? extends T> items, int chunksize);

    <R> List<R> starmap(StarFunction<? extends R> function, Iterable<Object[]> argumentLists);

    <R> List<R> starmap(StarFunction<? extends R> function, Iterable<Object[]> argumentLists, int chunksize);

    /** Runs one call in a worker and waits for its result. */
    <R> R apply(StarFunction<? extends R> function, Object... args);

    /**
     * Ends the pool: it takes no more calls and its workers (or its hold on the cluster's nodes) go. What happens
     * to calls still under way is the implementation's: see its {@code close()}.
     */
    @Override
    void close();
}
