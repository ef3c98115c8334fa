package mp4j.pool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link java.util.concurrent.ExecutorService} over a {@link Pool}'s worker JVMs, for code that already speaks
 * {@code java.util.concurrent}, as Python's {@code concurrent.futures.ProcessPoolExecutor}. Tasks must be
 * serializable: give lambdas where a {@link RemoteCallable} is expected ({@code executor.submit(() -> 6 * 7)} on
 * a {@code PoolExecutor} does), or cast them {@code (Callable<T> & Serializable)}.
 * <ul>
 * <li>{@code submit} returns a {@link CompletableFuture} (its stages run on the pool's callback thread); a task's
 *     exception is the cause of the ExecutionException {@code get()} throws, of its own type, with the worker's
 *     stack trace (see {@link AsyncResult}).</li>
 * <li>{@link java.util.concurrent.ExecutorCompletionService} works over it: the task goes to a worker, the
 *     service's own wrapper completes here once it is done.</li>
 * <li>{@link #shutdownNow()} returns the tasks no worker had taken; {@link #shutdown(boolean)} with
 *     {@code cancelFutures} is Python's {@code shutdown(cancel_futures=True)}.</li>
 * <li>Cancelling a future before a worker takes its task means it never runs; a task a worker has started runs
 *     on (it is in another process), and its result is dropped.</li>
 * </ul>
 */
public final class PoolExecutor extends AbstractExecutorService implements AutoCloseable
{
    private final Pool pool;
    /**
     * The task {@link #newTaskFor} made last on this thread and not sent yet: ExecutorCompletionService asks for a
     * task, then hands this executor its own wrapper around it (not serializable), which {@link #execute} pairs
     * with the task it wraps.
     */
    private final ThreadLocal<RemoteTask<?>> madeNotSent = new ThreadLocal<>();

    /**
     * An executor over a pool of {@code processes} worker JVMs that it makes, as Python's
     * {@code ProcessPoolExecutor(max_workers)}.
     *
     * @param processes worker JVMs, 1 or more
     * @throws IllegalArgumentException if {@code processes} is below 1
     */
    public PoolExecutor(final int processes)
    {
        this(new Pool(processes));
    }

    /**
     * An executor over {@code pool}; shutting the executor down shuts the pool down.
     *
     * @param pool a running pool, which the executor then owns: calls on the pool itself still work, and count
     *             against the same workers
     * @throws NullPointerException if {@code pool} is null
     */
    public PoolExecutor(final Pool pool)
    {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * The pool the tasks run in.
     *
     * @return the pool given to, or made by, the constructor
     */
    public Pool pool()
    {
        return pool;
    }

    /**
     * Runs {@code task} in a worker; for lambdas: this target type makes them serializable.
     *
     * @param task what to run, serializable with what it captures; it reaches the worker once
     * @param <T>  the type of its result
     * @return its future: completed with the result, or exceptionally with the task's exception (its own type, the
     *         worker's stack trace)
     * @throws NullPointerException       if {@code task} is null
     * @throws RejectedExecutionException if the executor was shut down or its pool closed
     */
    public <T> CompletableFuture<T> submit(final RemoteCallable<T> task)
    {
        return send(new RemoteTask<>(pool, Objects.requireNonNull(task, "task")));
    }

    @Override
    public <T> CompletableFuture<T> submit(final Callable<T> task)
    {
        return send(new RemoteTask<>(pool, serializable(task)));
    }

    @Override
    public CompletableFuture<?> submit(final Runnable task)
    {
        return submit(task, null);
    }

    @Override
    public <T> CompletableFuture<T> submit(final Runnable task, final T result)
    {
        return send(new RemoteTask<>(pool, callable(task, result)));
    }

    private <T> RemoteTask<T> send(final RemoteTask<T> task)
    {
        checkAccepting();
        task.send();
        return task;
    }

    /** As the ExecutorService contract says (Python's executor raises RuntimeError there). */
    private void checkAccepting()
    {
        if (!pool.isAccepting())
        {
            throw new RejectedExecutionException("pool " + pool.name() + " takes no more tasks: this executor " +
                "was shut down (or its pool closed)");
        }
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(final Callable<T> callable)
    {
        return made(new RemoteTask<>(pool, serializable(callable)));
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(final Runnable runnable, final T value)
    {
        return made(new RemoteTask<>(pool, callable(runnable, value)));
    }

    private <T> RemoteTask<T> made(final RemoteTask<T> task)
    {
        madeNotSent.set(task);
        return task;
    }

    /**
     * Sends a task to a worker. A task of this executor ({@link #newTaskFor}) or a serializable Runnable goes as it
     * is. A wrapper that {@code java.util.concurrent} put around a task this thread just made (what
     * ExecutorCompletionService does) cannot travel: the task inside it goes, and the wrapper runs here, on the
     * pool's callback thread, once that task is done (when its {@code run()} finds the task complete).
     */
    @Override
    public void execute(final Runnable command)
    {
        Objects.requireNonNull(command, "command");
        final RemoteTask<?> made = madeNotSent.get();
        madeNotSent.remove();
        checkAccepting();
        if (command instanceof RemoteTask<?> task)
        {
            task.send();
        }
        else if (command instanceof Serializable)
        {
            new RemoteTask<>(pool, callable(command, null)).send();
        }
        else if (command instanceof RunnableFuture<?> && made != null && !made.wasSent())
        {
            made.whenComplete((value, error) -> command.run());
            made.send();
        }
        else
        {
            throw new IllegalArgumentException("tasks run in worker JVMs, so they must be serializable: cast the " +
                "lambda (Runnable & Serializable), or submit a RemoteCallable; got " + command.getClass().getName());
        }
    }

    /** Returns the result of the first task to succeed, as soon as one does (the others are cancelled). */
    @Override
    public <T> T invokeAny(final Collection<? extends Callable<T>> tasks) throws InterruptedException,
        ExecutionException
    {
        try
        {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * As {@link #invokeAny(Collection)}, waiting at most {@code timeout}; when every task fails, the
     * ExecutionException's cause is the last failure.
     */
    @Override
    public <T> T invokeAny(final Collection<? extends Callable<T>> tasks, final long timeout, final TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        if (tasks.isEmpty())
        {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        final List<RemoteTask<T>> sent = new ArrayList<>(tasks.size());
        for (final Callable<T> callable : tasks)
        {
            sent.add(new RemoteTask<>(pool, serializable(callable))); // all checked before any is sent
        }
        final CompletableFuture<T> first = new CompletableFuture<>();
        final AtomicInteger failures = new AtomicInteger();
        for (final RemoteTask<T> task : sent)
        {
            task.whenComplete((value, error) ->
            {
                if (error == null)
                {
                    first.complete(value);
                }
                else if (failures.incrementAndGet() == sent.size())
                {
                    first.completeExceptionally(error);
                }
            });
            task.send();
        }
        try
        {
            return first.get(timeout, unit);
        }
        finally
        {
            sent.forEach(task -> task.cancel(false));
        }
    }

    /** No more tasks; those submitted run to the end (as Python's {@code shutdown(wait=False)}). */
    @Override
    public void shutdown()
    {
        pool.shutdown();
    }

    /**
     * Python's {@code ProcessPoolExecutor.shutdown(wait=False, cancel_futures=...)}: no more tasks; with
     * {@code cancelFutures}, every task no worker has taken yet is cancelled (its future says so and it never runs),
     * while those a worker took run to the end. Returns at once: {@link #awaitTermination} or {@link #close()}
     * waits.
     *
     * @param cancelFutures whether to cancel the tasks no worker has taken yet; false is {@link #shutdown()}
     */
    public void shutdown(final boolean cancelFutures)
    {
        pool.shutdown();
        if (cancelFutures)
        {
            for (final RemoteTask<?> task : takeQueued())
            {
                task.cancel(false);
            }
        }
    }

    /**
     * Takes back the tasks no worker had taken, then terminates the workers (a task one of them runs fails with
     * {@link PoolClosedException}), as {@code ThreadPoolExecutor.shutdownNow}: the tasks returned never ran and are
     * not complete; cancel them, or run them elsewhere (running one here fails it: this pool is gone).
     */
    @Override
    public List<Runnable> shutdownNow()
    {
        pool.shutdown();
        final List<Runnable> notRun = new ArrayList<>(takeQueued());
        pool.terminate();
        return notRun;
    }

    private List<RemoteTask<?>> takeQueued()
    {
        final List<RemoteTask<?>> tasks = new ArrayList<>();
        for (final Object tag : pool.takeQueued(tag -> tag instanceof RemoteTask<?>))
        {
            final RemoteTask<?> task = (RemoteTask<?>)tag;
            task.unsend();
            tasks.add(task);
        }
        return tasks;
    }

    @Override
    public boolean isShutdown()
    {
        return !pool.isAccepting();
    }

    @Override
    public boolean isTerminated()
    {
        return !pool.isAccepting() && pool.join(0, TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean awaitTermination(final long timeout, final TimeUnit unit)
    {
        return pool.join(Math.max(1, unit.toNanos(timeout)), TimeUnit.NANOSECONDS);
    }

    /**
     * As Java 19's {@code ExecutorService.close()}: no more tasks, waits for those submitted, then stops the
     * workers ({@link Pool#close()}).
     */
    @Override
    public void close()
    {
        pool.close();
    }

    @SuppressWarnings("unchecked")
    private static <T> RemoteCallable<T> serializable(final Callable<T> callable)
    {
        Objects.requireNonNull(callable, "task");
        if (callable instanceof RemoteCallable<T> remote)
        {
            return remote;
        }
        if (!(callable instanceof Serializable))
        {
            throw new IllegalArgumentException("tasks run in worker JVMs, so they must be serializable: submit a " +
                "lambda to a PoolExecutor-typed variable (it becomes a RemoteCallable), or cast it " +
                "(Callable<T> & Serializable); got " + callable.getClass().getName());
        }
        final Callable<T> task = callable;
        return (RemoteCallable<T>)(Object)(RemoteCallable<T>)task::call;
    }

    private static <T> RemoteCallable<T> callable(final Runnable runnable, final T value)
    {
        Objects.requireNonNull(runnable, "task");
        if (!(runnable instanceof Serializable))
        {
            throw new IllegalArgumentException("tasks run in worker JVMs, so they must be serializable: cast the " +
                "lambda (Runnable & Serializable); got " + runnable.getClass().getName());
        }
        if (value != null && !(value instanceof Serializable))
        {
            throw new IllegalArgumentException("the result given with a Runnable travels to the worker and back, " +
                "so it must be serializable; got " + value.getClass().getName());
        }
        final Runnable task = runnable;
        return () ->
        {
            task.run();
            return value;
        };
    }

    /**
     * A task of this executor: a CompletableFuture completed (on the pool's callback thread) with what the worker
     * returned or raised. As a {@link RunnableFuture}, {@link #run()} sends it (if it was not) and returns once it
     * is done, as {@code FutureTask.run()} returns once its computation is.
     */
    private static final class RemoteTask<T> extends CompletableFuture<T> implements RunnableFuture<T>
    {
        private final Pool pool;
        private final RemoteCallable<T> callable;
        private AsyncResult<T> sent;

        RemoteTask(final Pool pool, final RemoteCallable<T> callable)
        {
            this.pool = pool;
            this.callable = callable;
        }

        synchronized boolean wasSent()
        {
            return sent != null;
        }

        /** Gives it to the pool, once; a call the pool refuses completes it with the pool's exception. */
        synchronized void send()
        {
            if (sent != null || isDone())
            {
                return;
            }
            final RemoteCallable<T> task = callable;
            final AsyncResult<T> result = pool.submitCall(args -> task.call(), this);
            sent = result;
            result.future.whenCompleteAsync((value, error) ->
            {
                if (error == null)
                {
                    complete(value);
                }
                else
                {
                    completeExceptionally(error);
                }
            }, pool.callbackExecutor());
        }

        /** Taken back from the pool before a worker took it: it may be sent again. */
        synchronized void unsend()
        {
            sent = null;
        }

        @Override
        public void run()
        {
            send();
            boolean interrupted = false;
            while (!isDone())
            {
                try
                {
                    get();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
                catch (final ExecutionException | java.util.concurrent.CancellationException ex)
                {
                    break; // done: the future holds the outcome
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning)
        {
            final boolean cancelled = super.cancel(mayInterruptIfRunning);
            final AsyncResult<T> result;
            synchronized (this)
            {
                result = sent;
            }
            if (result != null)
            {
                result.cancel(false); // still queued: it never runs
            }
            return cancelled;
        }
    }
}
