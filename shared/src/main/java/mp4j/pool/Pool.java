package mp4j.pool;

import mp4j.codec.ValueCodec;
import mp4j.session.CurrentSlot;
import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Python's {@code multiprocessing.Pool}: worker JVMs that run functions on items, fed through shared-memory rings
 * in the session file ({@link PoolLayout}) instead of pipes.
 * <pre>{@code
 * try (Pool pool = new Pool(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));     // [1, 4, 9]
 *     AsyncResult<Integer> sum = pool.applyAsync(a -> (int)a[0] + (int)a[1], 2, 3);
 *     System.out.println(squares + " " + sum.join());
 * }   // close(): waits for outstanding work, then stops the workers
 * }</pre>
 * Functions are serializable lambdas ({@link RemoteFunction}, {@link StarFunction}); each reaches a worker once
 * per call, not once per item. What differs from Python:
 * <ul>
 * <li>a worker that dies (killed, crashed, {@code System.exit}) is replaced and the tasks it held run again, at
 *     most {@link PoolConfig#maxRetries} more times, then fail with {@link WorkerDiedException}: no call ever
 *     waits forever;</li>
 * <li>{@link #close()} is Java's {@code ExecutorService.close()}, which is Python's {@code close()} followed by
 *     {@code join()}: it waits for the work submitted. So a try-with-resources block waits at its end for
 *     outstanding asynchronous calls, where Python's {@code with Pool() as p:} terminates them; call
 *     {@link #terminate()} for that. Python's {@code close()} alone (no wait) is {@link #shutdown()}.</li>
 * </ul>
 */
public final class Pool implements AutoCloseable, ProcessPool
{
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** An imap over a stream reads at most this many chunks per worker ahead of what the caller has taken. */
    private static final int STREAM_CHUNKS_AHEAD_PER_PROCESS = 32;

    private final String name;
    private final PoolConfig config;
    private final PoolHandler handler;
    private final ExecutorService callbacks;
    /** {@link #callbacks}, or the calling thread once the pool has stopped: a callback is never lost. */
    private final Executor callbackExecutor = this::runCallback;
    private final AtomicLong taskIds = new AtomicLong();
    private final AtomicInteger functionIds = new AtomicInteger();
    private final Map<Object, FunctionDef> functions = new WeakHashMap<>();
    private final ThreadLocal<ExpandableArrayBuffer> scratch =
        ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(256));
    private final ThreadLocal<ValueCodec> codecs = ThreadLocal.withInitial(ValueCodec::new);
    private final DirectoryEntry entry;
    private volatile boolean accepting = true;
    private volatile Thread callbackThread;

    /** A pool of as many worker JVMs as there are processors, as Python's {@code Pool()}. */
    public Pool()
    {
        this(new PoolConfig());
    }

    /**
     * A pool of {@code processes} worker JVMs, as Python's {@code Pool(processes)}.
     *
     * @param processes worker JVMs, 1 or more
     * @throws IllegalArgumentException if {@code processes} is below 1
     */
    public Pool(final int processes)
    {
        this(new PoolConfig().processes(processes));
    }

    /**
     * A pool as {@code config} says, Python's {@code Pool(processes, initializer, initargs, maxtasksperchild)}. Its
     * rings take bytes of this process's session (a stopped pool's of the same size when there is one), and its
     * workers start now; this returns without waiting for them to be ready (see {@link #awaitWorkers}).
     *
     * @param config how many workers, their initializer, limits and JVM options; the pool keeps reading it (a
     *               replacement worker starts as it says), so change it no more once given
     * @throws NullPointerException             if {@code config} is null
     * @throws mp4j.session.SessionFullException if the session has no room left for the pool's rings
     */
    public Pool(final PoolConfig config)
    {
        this.config = Objects.requireNonNull(config, "config");
        this.name = config.name != null ? config.name : "Pool-" + COUNTER.incrementAndGet();
        final Session session = Session.current();
        final int ringCapacity = PoolLayout.DEFAULT_RING_CAPACITY;
        entry = reuseOrAllocate(session, name, PoolLayout.length(config.processes, ringCapacity), config.processes);
        final AtomicBuffer buffer = session.buffer();
        final int base = (int)entry.offset();
        buffer.putInt(base + PoolLayout.WORKERS_OFFSET, config.processes);
        buffer.putInt(base + PoolLayout.RING_CAPACITY_OFFSET, ringCapacity);
        buffer.putInt(base + PoolLayout.OWNER_SLOT_OFFSET, CurrentSlot.get());
        for (int w = 0; w < config.processes; w++)
        {
            buffer.putInt(PoolLayout.position(base, ringCapacity, w) + PoolLayout.PROCESS_SLOT_OFFSET, -1);
        }
        buffer.putIntOrdered(base + PoolLayout.STATE_OFFSET, PoolLayout.RUNNING);
        callbacks = Executors.newSingleThreadExecutor(task ->
        {
            final Thread thread = new Thread(task, name + "-callbacks");
            thread.setDaemon(true);
            callbackThread = thread;
            return thread;
        });
        handler = new PoolHandler(this, config, session, entry.index(), base, ringCapacity);
        try
        {
            handler.start(name);
        }
        catch (final RuntimeException ex)
        {
            callbacks.shutdown();
            throw ex;
        }
    }

    /**
     * The pool's name, as the inspector shows it.
     *
     * @return {@link PoolConfig#name(String)}'s, or {@code Pool-N}
     */
    public String name()
    {
        return name;
    }

    /**
     * The bytes of a stopped pool of the same size when there is one (a session's memory is never freed, so a
     * program making pool after pool would otherwise run out of it), else new ones.
     */
    private static DirectoryEntry reuseOrAllocate(final Session session, final String name, final long length,
        final int processes)
    {
        final AtomicBuffer buffer = session.buffer();
        for (final DirectoryEntry old : session.directory().entries())
        {
            if (old.kind() == ObjectKind.POOL && old.length() == length && session.directory().isInBounds(old) &&
                buffer.compareAndSetInt((int)old.offset() + PoolLayout.STATE_OFFSET, PoolLayout.STOPPED,
                    PoolLayout.REUSED))
            {
                buffer.setMemory((int)old.offset(), (int)length, (byte)0); // every ring empty, every position new
                return session.directory().rename(old.index(), name);
            }
        }
        return session.directory().allocate(ObjectKind.POOL, name, 0, length, processes, 0);
    }

    /** Number of worker processes. */
    public int processes()
    {
        return config.processes;
    }

    // ---------------------------------------------------------------------------------------------- map family

    /**
     * Python's {@code map(func, iterable)}: results in input order. When a task raises, this throws its exception
     * again here, as Python re-raises it: a new exception of the task's exception's type and message, whose stack
     * trace is this call's and whose {@link Throwable#getCause() cause} is the task's exception with the worker's
     * stack trace (as {@code ForkJoinTask.join} does), so {@code catch (IllegalArgumentException e)} works. A
     * checked exception, or one that cannot be re-made so (no public constructor taking a message, say), arrives
     * as the cause of a {@link RemoteException}; an exception whose class cannot be loaded here, as a
     * RemoteException carrying its class name, message and trace. The same holds for every synchronous call
     * ({@code apply}, {@code starmap}, {@link AsyncResult#join()}, {@code imap}'s {@code next()}).
     */
    public <T, R> List<R> map(final RemoteFunction<? super T, ? extends R> function, final Iterable<? extends T> items)
    {
        return this.<T, R>mapAsync(function, items, 0, null, null).join();
    }

    /** As {@link #map(RemoteFunction, Iterable)} with items sent in chunks of {@code chunksize}. */
    public <T, R> List<R> map(final RemoteFunction<? super T, ? extends R> function, final Iterable<? extends T> items,
        final int chunksize)
    {
        return this.<T, R>mapAsync(function, items, chunksize, null, null).join();
    }

    /**
     * Python's {@code map_async(func, iterable)}: as {@link #map(RemoteFunction, Iterable)} without waiting.
     *
     * @param function a serializable function, sent once per call
     * @param items    the inputs, read to the end before this returns
     * @param <T>      the items' type
     * @param <R>      the results' type
     * @return the list of results in input order, once all are in; failed with the first task failure, or a
     *         {@link PoolClosedException} if the pool takes no more tasks
     * @throws NullPointerException if {@code function} or {@code items} is null
     */
    public <T, R> AsyncResult<List<R>> mapAsync(final RemoteFunction<? super T, ? extends R> function,
        final Iterable<? extends T> items)
    {
        return mapAsync(function, items, 0, null, null);
    }

    /**
     * Python's {@code map_async(func, iterable, chunksize, callback, error_callback)}; {@code chunksize} 0 picks
     * Python's default. Callbacks run on the pool's callback thread, before {@link AsyncResult#get()} returns.
     *
     * @param function      a serializable function, sent once per call
     * @param items         the inputs, read to the end before this returns
     * @param chunksize     items per task, 1 or more; 0 for Python's default (about four tasks per process)
     * @param callback      given the list of results once all are in; null for none
     * @param errorCallback given the first task failure (as {@link #applyAsync(StarFunction, Object[], Consumer,
     *                      Consumer)} says) or what stopped the call; null for none
     * @param <T>           the items' type
     * @param <R>           the results' type
     * @return the list of results in input order, once all are in; failed with the first task failure, or a
     *         {@link PoolClosedException} if the pool takes no more tasks
     * @throws NullPointerException     if {@code function} or {@code items} is null
     * @throws IllegalArgumentException if {@code chunksize} is negative
     */
    public <T, R> AsyncResult<List<R>> mapAsync(final RemoteFunction<? super T, ? extends R> function,
        final Iterable<? extends T> items, final int chunksize, final Consumer<? super List<R>> callback,
        final Consumer<? super RuntimeException> errorCallback)
    {
        return submitMap(function, PoolMessages.MAP, toList(items), chunksize, callback, errorCallback);
    }

    /** Python's {@code starmap(func, iterable)}: each item is the argument array of one call. */
    public <R> List<R> starmap(final StarFunction<? extends R> function, final Iterable<Object[]> argumentLists)
    {
        return this.<R>starmapAsync(function, argumentLists, 0, null, null).join();
    }

    public <R> List<R> starmap(final StarFunction<? extends R> function, final Iterable<Object[]> argumentLists,
        final int chunksize)
    {
        return this.<R>starmapAsync(function, argumentLists, chunksize, null, null).join();
    }

    /**
     * Python's {@code starmap_async(func, iterable, chunksize, callback, error_callback)}: as
     * {@link #starmap(StarFunction, Iterable, int)} without waiting.
     *
     * @param function      a serializable function of several arguments, sent once per call
     * @param argumentLists one argument array per call, read to the end before this returns
     * @param chunksize     calls per task, 1 or more; 0 for Python's default
     * @param callback      given the list of results once all are in; null for none
     * @param errorCallback given the first task failure or what stopped the call; null for none
     * @param <R>           the results' type
     * @return the list of results in input order, once all are in
     * @throws NullPointerException     if {@code function} or {@code argumentLists} is null
     * @throws IllegalArgumentException if {@code chunksize} is negative
     */
    public <R> AsyncResult<List<R>> starmapAsync(final StarFunction<? extends R> function,
        final Iterable<Object[]> argumentLists, final int chunksize, final Consumer<? super List<R>> callback,
        final Consumer<? super RuntimeException> errorCallback)
    {
        return submitMap(function, PoolMessages.STAR, toList(argumentLists), chunksize, callback, errorCallback);
    }

    /**
     * Python's {@code imap(func, iterable, chunksize=1)}: results in input order, each as soon as it is ready.
     *
     * @param function a serializable function, sent once per call
     * @param items    the inputs; a collection is sent at once, anything else (a stream's iterator, an endless
     *                 source) is read as results are taken, a bounded number of chunks ahead
     * @param <T>      the items' type
     * @param <R>      the results' type
     * @return an iterator over the results
     * @throws NullPointerException     if {@code function} or {@code items} is null
     * @throws PoolClosedException      if the pool takes no more tasks
     * @throws IllegalArgumentException if {@code function} or an item cannot be sent to the workers
     */
    public <T, R> IMapIterator<R> imap(final RemoteFunction<? super T, ? extends R> function,
        final Iterable<? extends T> items)
    {
        return imap(function, items, 1);
    }

    /**
     * Python's {@code imap(func, iterable, chunksize)}: as {@link #imap(RemoteFunction, Iterable)}, {@code chunksize}
     * items per task.
     *
     * @param function  a serializable function, sent once per call
     * @param items     the inputs, a collection or read as results are taken
     * @param chunksize items per task, 1 or more (no default here, as in Python)
     * @param <T>       the items' type
     * @param <R>       the results' type
     * @return an iterator over the results, in input order
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     */
    public <T, R> IMapIterator<R> imap(final RemoteFunction<? super T, ? extends R> function,
        final Iterable<? extends T> items, final int chunksize)
    {
        return submitIMap(function, items, chunksize, true);
    }

    /**
     * Python's {@code imap_unordered(func, iterable, chunksize=1)}: as {@link #imap(RemoteFunction, Iterable)},
     * results in the order they finish.
     *
     * @param function a serializable function, sent once per call
     * @param items    the inputs, a collection or read as results are taken
     * @param <T>      the items' type
     * @param <R>      the results' type
     * @return an iterator over the results, in completion order
     */
    public <T, R> IMapIterator<R> imapUnordered(final RemoteFunction<? super T, ? extends R> function,
        final Iterable<? extends T> items)
    {
        return imapUnordered(function, items, 1);
    }

    /**
     * Python's {@code imap_unordered(func, iterable, chunksize)}.
     *
     * @param function  a serializable function, sent once per call
     * @param items     the inputs, a collection or read as results are taken
     * @param chunksize items per task, 1 or more
     * @param <T>       the items' type
     * @param <R>       the results' type
     * @return an iterator over the results, in completion order
     * @throws IllegalArgumentException if {@code chunksize} is below 1
     */
    public <T, R> IMapIterator<R> imapUnordered(final RemoteFunction<? super T, ? extends R> function,
        final Iterable<? extends T> items, final int chunksize)
    {
        return submitIMap(function, items, chunksize, false);
    }

    // -------------------------------------------------------------------------------------------- apply family

    /** Python's {@code apply(func, args)}: runs one call in a worker and waits for its result. */
    public <R> R apply(final StarFunction<? extends R> function, final Object... args)
    {
        return this.<R>applyAsync(function, args, null, null).join();
    }

    /**
     * Python's {@code apply_async(func, args)}: as {@link #apply} without waiting.
     *
     * @param function a serializable function of several arguments
     * @param args     its arguments, each encodable; none (or a null array) for a call without arguments
     * @param <R>      the result's type
     * @return the call's result once it is in; failed with the task's exception, a {@link PoolClosedException} if
     *         the pool takes no more tasks, or an IllegalArgumentException if {@code function} or an argument
     *         cannot be sent
     * @throws NullPointerException if {@code function} is null
     */
    public <R> AsyncResult<R> applyAsync(final StarFunction<? extends R> function, final Object... args)
    {
        return applyAsync(function, args, null, null);
    }

    /**
     * Python's {@code apply_async(func, args, callback=, error_callback=)}: the error callback gets the task's
     * exception as the worker raised it (a checked one or an Error as the cause of a {@link RemoteException}).
     *
     * @param function      a serializable function of several arguments
     * @param args          its arguments; null for none
     * @param callback      given the result once it is in, on the pool's callback thread; null for none
     * @param errorCallback given the task's exception or what stopped the call, on the callback thread; null for
     *                      none
     * @param <R>           the result's type
     * @return the call's result once it is in (after the callback has run)
     * @throws NullPointerException if {@code function} is null
     */
    public <R> AsyncResult<R> applyAsync(final StarFunction<? extends R> function, final Object[] args,
        final Consumer<? super R> callback, final Consumer<? super RuntimeException> errorCallback)
    {
        return call(function, args, callback, errorCallback, null);
    }

    /** A call for {@link PoolExecutor}: {@code tag} finds it again in {@link #takeQueued}. */
    <R> AsyncResult<R> submitCall(final StarFunction<? extends R> function, final Object tag)
    {
        return call(function, null, null, null, Objects.requireNonNull(tag, "tag"));
    }

    private <R> AsyncResult<R> call(final StarFunction<? extends R> function, final Object[] args,
        final Consumer<? super R> callback, final Consumer<? super RuntimeException> errorCallback, final Object tag)
    {
        Objects.requireNonNull(function, "function");
        final ApplyJob<R> job = new ApplyJob<>(callbackExecutor, callback, errorCallback, tag);
        try
        {
            checkAccepting();
            final FunctionDef def = define(function);
            final PoolTask task = task(job, 0, 1, def, PoolMessages.CALL, args == null ? new Object[0] : args);
            enqueue(List.of(task));
        }
        catch (final RuntimeException ex)
        {
            job.taskFailed(null, ex);
        }
        return job.result;
    }

    // ----------------------------------------------------------------------------------------------- lifecycle

    /**
     * Python's {@code close()}: no more tasks; the workers exit once the queued ones are done. Returns at once;
     * {@link #join()} waits ({@link #close()} does both).
     */
    public void shutdown()
    {
        accepting = false;
        handler.close();
    }

    /** Python's {@code terminate()}: stops the workers now; calls still waiting fail with {@link PoolClosedException}. */
    public void terminate()
    {
        accepting = false;
        handler.terminate();
        awaitHandler(0);
    }

    /**
     * Python's {@code join()}: waits for the workers to exit and the callbacks to have run; call {@link #shutdown()}
     * (or {@link #close()}, {@link #terminate()}) first.
     */
    public void join()
    {
        if (accepting)
        {
            throw new IllegalStateException("join() needs shutdown(), close() or terminate() first, as Python's " +
                "Pool needs close() or terminate()");
        }
        awaitHandler(0);
    }

    /**
     * As {@link #join()}, waiting at most {@code timeout}. Interrupted, it returns false with the interrupt kept.
     *
     * @param timeout how long to wait; 0 or negative only looks
     * @param unit    the unit of {@code timeout}
     * @return whether the workers have exited and the callbacks have run
     * @throws IllegalStateException if the pool is still running: call {@link #shutdown()} or
     *                               {@link #terminate()} first
     */
    public boolean join(final long timeout, final TimeUnit unit)
    {
        if (accepting)
        {
            throw new IllegalStateException("join() needs shutdown(), close() or terminate() first, as Python's " +
                "Pool needs close() or terminate()");
        }
        return awaitHandler(Math.max(1, unit.toNanos(timeout)));
    }

    /**
     * As Java 19's {@code ExecutorService.close()}: takes no more tasks, waits until those submitted are done
     * (asynchronous calls and their callbacks included; an {@code imap} over a stream stops reading its input),
     * then stops the workers: Python's {@code close()} followed by {@code join()}. Interrupted while waiting, it
     * terminates the pool, as {@code ExecutorService.close()} calls {@code shutdownNow()}, and returns with the
     * interrupt still set. Does nothing more on a pool already stopped.
     * <p>
     * Unlike Python's {@code with Pool() as p:}, whose {@code __exit__} terminates, a try-with-resources block
     * therefore waits at its end for the asynchronous work it left running. For Python's behaviour, call
     * {@link #terminate()}.
     */
    @Override
    public void close()
    {
        shutdown();
        if (!awaitHandler(0))
        {
            Thread.interrupted(); // to wait for the termination; set again below
            terminate();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every worker JVM has started and run its initializer, so that timings that follow measure tasks,
     * not JVM starts (Python's fork-based Pool has no such wait; a spawned one does, hidden in the first tasks).
     *
     * @param timeout how long to wait for all of them together
     * @param unit    the unit of {@code timeout}
     * @return whether they all were ready within {@code timeout}; false at once when the pool stops taking tasks
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    public boolean awaitWorkers(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final Session session = Session.current();
        final AtomicBuffer buffer = session.buffer();
        final int base = (int)entry.offset();
        final int ringCapacity = buffer.getInt(base + PoolLayout.RING_CAPACITY_OFFSET);
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (int w = 0; w < config.processes; w++)
        {
            final int at = PoolLayout.position(base, ringCapacity, w);
            while (buffer.getIntVolatile(at + PoolLayout.READY_OFFSET) != 1)
            {
                if (System.nanoTime() > deadline || !isAccepting())
                {
                    return false;
                }
                Thread.sleep(1);
            }
        }
        return true;
    }

    /**
     * Whether the pool still takes tasks: not shut down, terminated or broken (its shared memory damaged).
     *
     * @return false once a new call would fail with {@link PoolClosedException}
     */
    public boolean isAccepting()
    {
        return accepting && handler.failure() == null;
    }

    /**
     * Every worker process this pool has run, replacements included, with what each did.
     *
     * @return a new list of snapshots, oldest worker first
     */
    public List<WorkerRecord> workers()
    {
        final List<WorkerRecord> records = new ArrayList<>();
        for (final WorkerStats stats : handler.history())
        {
            records.add(stats.snapshot());
        }
        return records;
    }

    /**
     * The directory entry of the pool's rings in the session (what {@code launcher inspect} shows).
     *
     * @return the entry, of kind POOL, whose bytes {@link PoolLayout} draws
     */
    public DirectoryEntry entry()
    {
        return entry;
    }

    @Override
    public String toString()
    {
        return "<Pool " + name + " processes=" + config.processes + " state=" +
            (accepting ? "RUN" : handler.isStopped() ? "TERMINATED" : "CLOSE") + ">";
    }

    // ------------------------------------------------------------------------------------------------ internals

    private void runCallback(final Runnable callback)
    {
        try
        {
            callbacks.execute(callback);
        }
        catch (final RejectedExecutionException ex)
        {
            callback.run();
        }
    }

    private boolean awaitHandler(final long timeoutNanos)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        try
        {
            if (!handler.awaitStopped(timeoutNanos))
            {
                return false;
            }
            callbacks.shutdown();
            if (Thread.currentThread() == callbackThread)
            {
                return true; // a callback stopping its pool: the callbacks still queued run after it returns
            }
            // as Python's join() waits for its result handler: the last callbacks have run when this returns
            if (timeoutNanos <= 0)
            {
                while (!callbacks.awaitTermination(1, TimeUnit.DAYS))
                {
                    // a callback that takes days is the caller's to fix
                }
                return true;
            }
            return callbacks.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private <R> AsyncResult<List<R>> submitMap(final Object function, final byte mode, final List<?> items,
        final int chunksize, final Consumer<? super List<R>> callback,
        final Consumer<? super RuntimeException> errorCallback)
    {
        Objects.requireNonNull(function, "function");
        final int size = chunkSize(items.size(), chunksize);
        final int tasks = size == 0 ? 0 : (items.size() + size - 1) / size;
        final MapJob<R> job = new MapJob<>(callbackExecutor, items.size(), size, tasks, callback, errorCallback);
        try
        {
            checkAccepting();
            if (tasks > 0)
            {
                enqueue(chunks(job, define(function), mode, items, size));
            }
        }
        catch (final RuntimeException ex)
        {
            job.taskFailed(null, ex);
        }
        return job.result;
    }

    private <R> IMapIterator<R> submitIMap(final Object function, final Iterable<?> items, final int chunksize,
        final boolean ordered)
    {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(items, "items");
        if (chunksize < 1)
        {
            throw new IllegalArgumentException("chunksize must be 1 or more, got " + chunksize);
        }
        checkAccepting();
        final FunctionDef def = define(function);
        if (items instanceof java.util.Collection<?>)
        {
            final List<?> list = toList(items);
            final IMapJob<R> job = new IMapJob<>(callbackExecutor, list.size(), ordered, chunksize, null);
            if (!list.isEmpty())
            {
                enqueue(chunks(job, def, PoolMessages.MAP, list, chunksize));
            }
            return job.iterator;
        }
        // Not a collection: read it as the results are taken, as Python's task handler does (a stream, a
        // generator, an endless source), keeping a bounded number of chunks ahead of the workers.
        final IMapJob<R> job = new IMapJob<>(callbackExecutor, -1, ordered, chunksize,
            new java.util.concurrent.Semaphore(STREAM_CHUNKS_AHEAD_PER_PROCESS * config.processes));
        final java.util.Iterator<?> source = items.iterator();
        final Thread feeder = new Thread(() -> feed(job, def, source, chunksize), name + "-imap-feeder");
        feeder.setDaemon(true);
        feeder.start();
        return job.iterator;
    }

    /** Reads an imap's input chunk by chunk into tasks, while the pool takes tasks. */
    private void feed(final IMapJob<?> job, final FunctionDef def, final java.util.Iterator<?> source,
        final int chunksize)
    {
        long fed = 0;
        try
        {
            while (true)
            {
                final List<Object> chunk = new ArrayList<>(chunksize);
                while (chunk.size() < chunksize && source.hasNext())
                {
                    chunk.add(source.next());
                }
                if (chunk.isEmpty())
                {
                    break;
                }
                job.chunksAhead.acquire();
                if (!isAccepting())
                {
                    job.iterator.inputFailed(fed, new PoolClosedException("pool " + name +
                        " stopped before imap's input was read to the end"));
                    return;
                }
                final Object[] items = chunk.toArray();
                enqueue(List.of(task(job, fed, items.length, def, PoolMessages.MAP, Packed.pack(items))));
                fed += items.length;
                if (items.length < chunksize)
                {
                    break;
                }
            }
            job.iterator.inputEnded(fed);
        }
        catch (final InterruptedException ex)
        {
            job.iterator.inputFailed(fed, new java.util.concurrent.CancellationException("imap's feeder was interrupted"));
        }
        catch (final RuntimeException ex)
        {
            job.iterator.inputFailed(fed, ex); // the input raised, or an item cannot be sent: the caller hears it
        }
    }

    /** Python's rule: {@code chunksize, extra = divmod(len(iterable), len(pool) * 4); if extra: chunksize += 1}. */
    int chunkSize(final int items, final int requested)
    {
        if (requested < 0)
        {
            throw new IllegalArgumentException("chunksize must be 1 or more (or 0 for the default), got " + requested);
        }
        if (requested > 0)
        {
            return requested;
        }
        if (items == 0)
        {
            return 0;
        }
        final int per = items / (config.processes * 4);
        return items % (config.processes * 4) == 0 ? per : per + 1;
    }

    private List<PoolTask> chunks(final PoolJob job, final FunctionDef def, final byte mode, final List<?> items,
        final int size)
    {
        final List<PoolTask> tasks = new ArrayList<>((items.size() + size - 1) / size);
        for (int first = 0; first < items.size(); first += size)
        {
            final int count = Math.min(size, items.size() - first);
            final Object[] chunk = items.subList(first, first + count).toArray();
            tasks.add(task(job, first, count, def, mode, mode == PoolMessages.MAP ? Packed.pack(chunk) : chunk));
        }
        return tasks;
    }

    private PoolTask task(final PoolJob job, final long first, final int count, final FunctionDef def,
        final byte mode, final Object items)
    {
        final long id = taskIds.incrementAndGet();
        final ExpandableArrayBuffer out = scratch.get();
        out.putByte(PoolMessages.KIND, PoolMessages.TASK);
        out.putLong(PoolMessages.TASK_ID, id, ByteOrder.LITTLE_ENDIAN);
        out.putInt(PoolMessages.TASK_FN_ID, def.id(), ByteOrder.LITTLE_ENDIAN);
        out.putByte(PoolMessages.TASK_MODE, mode);
        final int length;
        try
        {
            length = PoolMessages.TASK_ITEMS + codecs.get().encode(items, out, PoolMessages.TASK_ITEMS);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("cannot send a task's arguments to the pool's workers: " +
                ex.getMessage(), ex);
        }
        final byte[] message = new byte[length];
        out.getBytes(0, message);
        return new PoolTask(id, job, first, count, def, message);
    }

    /** Encodes a function once; the same lambda object given again (a non-capturing one) reuses the encoding. */
    private FunctionDef define(final Object function)
    {
        synchronized (functions)
        {
            final FunctionDef known = functions.get(function);
            if (known != null)
            {
                return known;
            }
        }
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(512);
        final int length;
        try
        {
            length = codecs.get().encode(function, out, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("cannot send the function to the pool's workers (use a " +
                "serializable lambda, and capture only serializable values): " + ex.getMessage(), ex);
        }
        final byte[] encoded = new byte[length];
        out.getBytes(0, encoded);
        final FunctionDef def = new FunctionDef(functionIds.incrementAndGet(), encoded);
        synchronized (functions)
        {
            functions.put(function, def);
        }
        return def;
    }

    private void enqueue(final Collection<PoolTask> tasks)
    {
        handler.submit(tasks);
    }

    /**
     * Takes the calls no worker has taken yet, of those made with a tag that {@code tagged} accepts, out of the
     * pool (they will not run, and nothing completes their results); returns their tags, oldest first.
     */
    List<Object> takeQueued(final Predicate<Object> tagged)
    {
        final List<Object> tags = new ArrayList<>();
        for (final PoolTask task : handler.withdraw(task -> task.job instanceof ApplyJob<?> call && call.tag != null &&
            tagged.test(call.tag)))
        {
            tags.add(((ApplyJob<?>)task.job).tag);
        }
        return tags;
    }

    /** The callback thread, or the calling thread once the pool has stopped and that thread is gone. */
    Executor callbackExecutor()
    {
        return callbackExecutor;
    }

    private void checkAccepting()
    {
        final RuntimeException broken = handler.failure();
        if (broken != null)
        {
            throw new PoolClosedException("pool " + name + " is broken and takes no tasks: " + broken.getMessage());
        }
        if (!accepting)
        {
            throw new PoolClosedException("pool " + name + " is not running: shutdown() or terminate() was called");
        }
    }

    private static List<?> toList(final Iterable<?> items)
    {
        Objects.requireNonNull(items, "items");
        if (items instanceof List<?> list)
        {
            return list;
        }
        final List<Object> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }
}
