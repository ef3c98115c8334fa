package mp4j.cluster;

import mp4j.pool.RemoteCallable;
import mp4j.pool.TaskException;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link java.util.concurrent.ExecutorService} over a cluster's server nodes, the cluster twin of the local
 * {@code PoolExecutor}: at most {@code processes} tasks run at once (the rest wait here, in order); a task's
 * exception arrives as the cause of an ExecutionException, as itself (its type, fields and the node's stack
 * trace), or as a {@link mp4j.pool.RemoteException} carrying it as text where its class cannot be loaded or read
 * here; a task whose node dies runs again elsewhere (at-least-once). Tasks must be serializable: give lambdas
 * where a {@link RemoteCallable} is expected ({@code executor.submit(() -> 6 * 7)} on a {@code ClusterExecutor} does).
 * Shutting it down ends this executor, never the cluster.
 */
public final class ClusterExecutor extends AbstractExecutorService
{
    private final RemoteCalls calls;
    private final int processes;
    private final ArrayDeque<Task<?>> waiting = new ArrayDeque<>();
    private final List<Task<?>> running = new ArrayList<>();
    private boolean shutdown;

    ClusterExecutor(final ClusterContext context, final int processes)
    {
        if (processes < 1)
        {
            throw new IllegalArgumentException("an executor needs processes >= 1, got " + processes);
        }
        this.calls = new RemoteCalls(context.ignite(), context.discovery());
        this.processes = processes;
    }

    /**
     * As {@link #submit(Callable)}, for lambdas: the target type makes them serializable.
     *
     * @param <T>  the task's result type.
     * @param task the task, run on a server node; what it captures travels with it.
     * @return a future of its result.
     */
    public <T> java.util.concurrent.Future<T> submit(final RemoteCallable<T> task)
    {
        return super.submit(task);
    }

    /**
     * Tasks sent again because their node left before answering.
     *
     * @return the count, over this executor's life.
     */
    public long reruns()
    {
        return calls.reruns();
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(final Callable<T> callable)
    {
        return new Task<>(serializable(callable));
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(final Runnable runnable, final T value)
    {
        if (!(runnable instanceof Serializable))
        {
            throw notSerializable(runnable);
        }
        final Runnable task = runnable;
        return new Task<>((RemoteCallable<T>)() ->
        {
            task.run();
            return value;
        });
    }

    @Override
    public void execute(final Runnable command)
    {
        if (command instanceof Task<?> task)
        {
            task.run();
        }
        else
        {
            newTaskFor(command, null).run();
        }
    }

    private static <T> Callable<T> serializable(final Callable<T> callable)
    {
        if (!(callable instanceof Serializable))
        {
            throw notSerializable(callable);
        }
        RemoteCalls.requireSerializable(callable);
        return callable;
    }

    private static IllegalArgumentException notSerializable(final Object task)
    {
        return new IllegalArgumentException("task " + task.getClass().getName() + " is not serializable, so it cannot " +
            "go to a cluster node: give a lambda where a RemoteCallable is expected " +
            "(executor.submit((RemoteCallable<T>)() -> ...)) or make the class Serializable");
    }

    private synchronized void enqueue(final Task<?> task)
    {
        if (shutdown)
        {
            throw new RejectedExecutionException("the cluster executor is shut down");
        }
        waiting.add(task);
        dispatch();
    }

    private synchronized void dispatch()
    {
        while (running.size() < processes && !waiting.isEmpty())
        {
            final Task<?> task = waiting.poll();
            if (task.isDone())
            {
                continue;
            }
            running.add(task);
            task.send();
        }
        notifyAll();
    }

    private synchronized void finished(final Task<?> task)
    {
        running.remove(task);
        dispatch();
    }

    @Override
    public synchronized void shutdown()
    {
        shutdown = true;
        notifyAll();
    }

    /** Cancels the running tasks (their nodes interrupt them) and returns the waiting ones, never sent. */
    @Override
    public synchronized List<Runnable> shutdownNow()
    {
        shutdown = true;
        final List<Runnable> never = new ArrayList<>(waiting);
        waiting.clear();
        for (final Task<?> task : new ArrayList<>(running))
        {
            task.cancel(true);
        }
        notifyAll();
        return never;
    }

    @Override
    public synchronized boolean isShutdown()
    {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated()
    {
        return shutdown && running.isEmpty() && waiting.isEmpty();
    }

    @Override
    public synchronized boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!isTerminated())
        {
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        calls.close();
        return true;
    }

    /** One submitted task: waits here until a place is free, then runs on a node. */
    private final class Task<T> implements RunnableFuture<T>
    {
        private final Callable<T> callable;
        private final CompletableFuture<T> future = new CompletableFuture<>();
        private volatile RemoteCalls.Call call;
        private boolean queued;

        Task(final Callable<T> callable)
        {
            this.callable = callable;
        }

        @Override
        public void run()
        {
            synchronized (this)
            {
                if (queued)
                {
                    return;
                }
                queued = true;
            }
            enqueue(this);
        }

        @SuppressWarnings("unchecked")
        void send()
        {
            final RemoteCalls.Call c = calls.submit(ChunkJob.call(callable));
            call = c;
            c.result.whenComplete((result, error) ->
            {
                if (error != null)
                {
                    future.completeExceptionally(error instanceof CancellationException ? error :
                        error instanceof java.util.concurrent.CompletionException && error.getCause() != null ?
                            error.getCause() : error);
                }
                else if (result.failure != null)
                {
                    future.completeExceptionally(TaskException.unwrap(result.raised(c.job.loader())));
                }
                else
                {
                    future.complete((T)result.values.get(0));
                }
                finished(this);
            });
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning)
        {
            final boolean cancelled = future.cancel(mayInterruptIfRunning);
            final RemoteCalls.Call c = call;
            if (cancelled && c != null)
            {
                c.cancel();
            }
            return cancelled;
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
