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
    /**
     * Tasks that may run at once: a local pool's worker JVMs, a cluster pool's slots.
     *
     * @return at least 1
     */
    int processes();

    /**
     * Python's {@code Pool.map(func, iterable)}: applies {@code function} to every item in the workers, items sent
     * in chunks of Python's default size, and waits for all the results.
     *
     * @param function a serializable function, sent once per call, not once per item
     * @param items    the inputs, read to the end before anything is sent; each must be encodable (see
     *                 {@link PoolConfig#allow(String)})
     * @param <T>      the items' type
     * @param <R>      the results' type
     * @return the results, in the order of {@code items}; empty for no items
     * @throws NullPointerException if {@code function} or {@code items} is null
     * @throws PoolClosedException  if the pool takes no more tasks
     * @throws RuntimeException     the exception of the task that failed first, re-raised here as
     *                              {@link TaskException} describes, or {@link WorkerDiedException} when its worker
     *                              kept dying
     */
    <T, R> List<R> map(RemoteFunction<? super T, ? extends R> function, Iterable<? extends T> items);

    /**
     * As {@link #map(RemoteFunction, Iterable)}, {@code chunksize} items per task.
     *
     * @param function  a serializable function, sent once per call
     * @param items     the inputs
     * @param chunksize items per task, 1 or more; 0 picks Python's default (about four tasks per process)
     * @param <T>       the items' type
     * @param <R>       the results' type
     * @return the results, in the order of {@code items}
     * @throws IllegalArgumentException if {@code chunksize} is negative
     */
    <T, R> List<R> map(RemoteFunction<? super T, ? extends R> function, Iterable<? extends T> items, int chunksize);

    /**
     * Python's {@code Pool.starmap(func, iterable)}: calls {@code function} once per argument array, in the workers,
     * and waits for all the results. Exceptions as {@link #map(RemoteFunction, Iterable)}.
     *
     * @param function      a serializable function of several arguments
     * @param argumentLists one argument array per call, given to the function as it is (a null
     *                      one as a null {@code args})
     * @param <R>           the results' type
     * @return the results, in the order of {@code argumentLists}
     */
    <R> List<R> starmap(StarFunction<? extends R> function, Iterable<Object[]> argumentLists);

    /**
     * As {@link #starmap(StarFunction, Iterable)}, {@code chunksize} calls per task.
     *
     * @param function      a serializable function of several arguments
     * @param argumentLists one argument array per call
     * @param chunksize     calls per task, 1 or more; 0 picks Python's default
     * @param <R>           the results' type
     * @return the results, in the order of {@code argumentLists}
     * @throws IllegalArgumentException if {@code chunksize} is negative
     */
    <R> List<R> starmap(StarFunction<? extends R> function, Iterable<Object[]> argumentLists, int chunksize);

    /**
     * Python's {@code Pool.apply(func, args)}: runs one call in a worker and waits for its result. Exceptions as
     * {@link #map(RemoteFunction, Iterable)}.
     *
     * @param function a serializable function of several arguments
     * @param args     its arguments, each encodable; none (or a null array) for a call without arguments
     * @param <R>      the result's type
     * @return what {@code function} returned, which may be null
     */
    <R> R apply(StarFunction<? extends R> function, Object... args);

    /**
     * Ends the pool: it takes no more calls and its workers (or its hold on the cluster's nodes) go. What happens
     * to calls still under way is the implementation's: see its {@code close()}.
     */
    @Override
    void close();
}
