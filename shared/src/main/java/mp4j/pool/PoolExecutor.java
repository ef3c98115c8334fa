package mp4j.pool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link java.util.concurrent.ExecutorService} over a {@link Pool}'s worker JVMs, for code that already speaks
 * {@code java.util.concurrent}. Tasks must be serializable: give lambdas where a {@link RemoteCallable} is
 * expected ({@code executor.submit(() -> 6 * 7)} on a {@code PoolExecutor} does), or cast them
 * {@code (Callable<T> & Serializable)}. A task's exception arrives as the cause of an ExecutionException, as it
 * was raised (see {@link AsyncResult#get()}). Cancelling a future does not stop a task that a worker has started.
 */
public final class PoolExecutor extends AbstractExecutorService implements AutoCloseable
{
    private final Pool pool;
    private final boolean ownsPool;

    /** An executor over a pool of {@code processes} worker JVMs that it makes and owns. */
    public PoolExecutor(final int processes)
    {
        this(new Pool(processes), true);
    }

    /** An executor over {@code pool}; shutting the executor down shuts the pool down. */
    public PoolExecutor(final Pool pool)
    {
        this(pool, false);
    }

    private PoolExecutor(final Pool pool, final boolean ownsPool)
    {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.ownsPool = ownsPool;
    }

    public Pool pool()
    {
        return pool;
    }

    /** As {@link #submit(Callable)}, for lambdas: the target type makes them serializable. */
    public <T> Future<T> submit(final RemoteCallable<T> task)
    {
        return super.submit(task);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(final Callable<T> callable)
    {
        return new RemoteTask<>(pool, serializable(callable));
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(final Runnable runnable, final T value)
    {
        final Runnable task = serializable(runnable);
        return new RemoteTask<>(pool, (RemoteCallable<T>)() ->
        {
            task.run();
            return value;
        });
    }

    @Override
    public void execute(final Runnable command)
    {
        if (command instanceof RemoteTask<?> task)
        {
            task.run(); // sends it; the worker runs it
        }
        else
        {
            newTaskFor(command, null).run();
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

    @Override
    public <T> T invokeAny(final Collection<? extends Callable<T>> tasks, final long timeout, final TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        if (tasks.isEmpty())
        {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        final CompletableFuture<T> first = new CompletableFuture<>();
        final AtomicInteger failures = new AtomicInteger();
        final List<RemoteTask<T>> started = new ArrayList<>();
        for (final Callable<T> callable : tasks)
        {
            final RemoteTask<T> task = new RemoteTask<>(pool, serializable(callable));
            started.add(task);
            task.future.whenComplete((value, error) ->
            {
                if (error == null)
                {
                    first.complete(value);
                }
                else if (failures.incrementAndGet() == tasks.size())
                {
                    first.completeExceptionally(error instanceof ExecutionException ? error.getCause() : error);
                }
            });
            task.run();
        }
        try
        {
            return first.get(timeout, unit);
        }
        finally
        {
            started.forEach(task -> task.cancel(false));
        }
    }

    @Override
    public void shutdown()
    {
        pool.shutdown();
    }

    /** Terminates the workers; tasks still waiting fail with {@link PoolClosedException}. Returns an empty list. */
    @Override
    public List<Runnable> shutdownNow()
    {
        pool.terminate();
        return List.of();
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

    /** An executor that made its pool terminates it; one over a given pool shuts it down and waits for its tasks. */
    @Override
    public void close()
    {
        if (ownsPool)
        {
            pool.terminate();
        }
        else
        {
            pool.shutdown();
            pool.join();
        }
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

    private static Runnable serializable(final Runnable runnable)
    {
        Objects.requireNonNull(runnable, "task");
        if (!(runnable instanceof Serializable))
        {
            throw new IllegalArgumentException("tasks run in worker JVMs, so they must be serializable: cast the " +
                "lambda (Runnable & Serializable); got " + runnable.getClass().getName());
        }
        return runnable;
    }

    /** A task that runs in a worker when {@link #run()} sends it there. */
    private static final class RemoteTask<T> implements RunnableFuture<T>
    {
        private final Pool pool;
        private final RemoteCallable<T> callable;
        final CompletableFuture<T> future = new CompletableFuture<>();
        private boolean sent;

        RemoteTask(final Pool pool, final RemoteCallable<T> callable)
        {
            this.pool = pool;
            this.callable = callable;
        }

        @Override
        public synchronized void run()
        {
            if (sent || future.isDone())
            {
                return;
            }
            sent = true;
            final RemoteCallable<T> task = callable;
            pool.<T>applyAsync(args -> task.call()).future.whenComplete((value, error) ->
            {
                if (error == null)
                {
                    future.complete(value);
                }
                else
                {
                    future.completeExceptionally(error); // the task's exception itself: get()'s cause
                }
            });
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning)
        {
            return future.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled()
        {
            return future.isCancelled();
        }

        @Override
        public boolean isDone()
        {
            return future.isDone();
        }

        @Override
        public T get() throws InterruptedException, ExecutionException
        {
            return future.get();
        }

        @Override
        public T get(final long timeout, final TimeUnit unit) throws InterruptedException, ExecutionException,
            TimeoutException
        {
            return future.get(timeout, unit);
        }
    }
}
