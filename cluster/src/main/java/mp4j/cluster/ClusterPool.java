package mp4j.cluster;

import mp4j.pool.PoolClosedException;
import mp4j.pool.ProcessPool;
import mp4j.pool.RemoteFunction;
import mp4j.pool.StarFunction;
import mp4j.pool.TaskException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Python's {@code Pool} over a cluster's server nodes: {@code map} cuts its items into chunks as Python's does
 * ({@code chunksize = ceil(len / (processes * 4))} unless given), sends at most {@code processes} chunks at a time
 * to the server nodes (Ignite balances them round-robin), and returns the results in input order. A task's
 * exception is raised in the caller as the local pool raises it: {@code map}, {@code starmap} and {@code apply}
 * throw an exception of the task's type whose stack trace is the caller's and whose cause is the task's exception
 * with the node's stack trace (a checked one arrives as the cause of a {@link mp4j.pool.RemoteException}; one
 * whose class cannot be loaded or read here, as a RemoteException carrying its class name, message and trace).
 * <p>
 * At-least-once: a chunk whose node dies before answering runs again on another node ({@link #reruns()} counts
 * them), so a task's side effects (a counter it adds to, a file it writes) may happen twice; its result counts
 * once. A distributed call costs milliseconds: give each task tens of milliseconds of work or more.
 */
public final class ClusterPool implements ProcessPool
{
    private final ClusterContext context;
    private final int processes;
    private final RemoteCalls calls;
    /** Node id to {host, pid, tasks, items}, in the order nodes first answered; guarded by itself. */
    private final Map<String, Object[]> work = new LinkedHashMap<>();
    private final Collection<RemoteCalls.Call> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ClusterPool(final ClusterContext context, final int processes)
    {
        if (processes < 1)
        {
            throw new IllegalArgumentException("a pool needs processes >= 1, got " + processes);
        }
        this.context = context;
        this.processes = processes;
        this.calls = new RemoteCalls(context.ignite(), context.discovery());
    }

    @Override
    public int processes()
    {
        return processes;
    }

    @Override
    public <T, R> List<R> map(final RemoteFunction<? super T, ? extends R> function, final Iterable<? extends T> items)
    {
        return map(function, items, 0);
    }

    @Override
    public <T, R> List<R> map(final RemoteFunction<? super T, ? extends R> function, final Iterable<? extends T> items,
        final int chunksize)
    {
        RemoteCalls.requireSerializable(function);
        final List<Object> list = toList(items);
        return run(list, chunksize, chunk -> ChunkJob.map(function, chunk));
    }

    @Override
    public <R> List<R> starmap(final StarFunction<? extends R> function, final Iterable<Object[]> argumentLists)
    {
        return starmap(function, argumentLists, 0);
    }

    @Override
    public <R> List<R> starmap(final StarFunction<? extends R> function, final Iterable<Object[]> argumentLists,
        final int chunksize)
    {
        RemoteCalls.requireSerializable(function);
        final List<Object> list = toList(argumentLists);
        return run(list, chunksize, chunk -> ChunkJob.star(function, chunk));
    }

    @Override
    public <R> R apply(final StarFunction<? extends R> function, final Object... args)
    {
        RemoteCalls.requireSerializable(function);
        final List<R> results = run(List.of((Object)args), 1, chunk -> ChunkJob.star(function, chunk));
        return results.get(0);
    }

    /**
     * Chunks sent again, over this pool's life, because their node left before answering.
     *
     * @return the count; 0 when no node left.
     */
    public long reruns()
    {
        return calls.reruns();
    }

    /**
     * What each server node did for this pool, in the order they first answered.
     *
     * @return a new list, one entry per node that answered.
     */
    public List<NodeWork> nodes()
    {
        final List<NodeWork> list = new ArrayList<>();
        synchronized (work)
        {
            for (final Map.Entry<String, Object[]> node : work.entrySet())
            {
                final Object[] w = node.getValue();
                list.add(new NodeWork(node.getKey(), (String)w[0], (Long)w[1], (Long)w[2], (Long)w[3]));
            }
        }
        return list;
    }

    /** Python's chunk rule: {@code chunksize, extra = divmod(len, processes * 4); if extra: chunksize += 1}. */
    static int pythonChunksize(final int items, final int processes)
    {
        if (items == 0)
        {
            return 1;
        }
        final int per = processes * 4;
        final int chunksize = items / per + (items % per != 0 ? 1 : 0);
        return Math.max(1, chunksize);
    }

    private interface JobMaker
    {
        ChunkJob make(Object[] chunk);
    }

    @SuppressWarnings("unchecked")
    private <R> List<R> run(final List<Object> items, final int chunksize, final JobMaker maker)
    {
        if (closed)
        {
            throw new PoolClosedException("cluster pool is closed");
        }
        if (chunksize < 0)
        {
            throw new IllegalArgumentException("chunksize must be >= 0 (0: Python's rule), got " + chunksize);
        }
        final int size = chunksize > 0 ? chunksize : pythonChunksize(items.size(), processes);
        final List<RemoteCalls.Call> sent = new ArrayList<>();
        final Semaphore window = new Semaphore(processes);
        final AtomicBoolean failed = new AtomicBoolean();
        try
        {
            for (int from = 0; from < items.size() && !failed.get() && !closed; from += size)
            {
                window.acquireUninterruptibly();
                final RemoteCalls.Call call = calls.submit(maker.make(
                    items.subList(from, Math.min(items.size(), from + size)).toArray()));
                inFlight.add(call);
                sent.add(call);
                call.result.whenComplete((result, error) ->
                {
                    if (error != null || result.failure != null)
                    {
                        failed.set(true);
                    }
                    inFlight.remove(call);
                    window.release();
                });
            }
            final List<R> results = new ArrayList<>(items.size());
            for (final RemoteCalls.Call call : sent)
            {
                final ChunkResult result = await(call);
                if (result.failure != null)
                {
                    throw TaskException.inCaller(result.raised(call.job.loader()));
                }
                record(result, call.job.size());
                results.addAll((List<R>)(List<?>)result.values);
            }
            return results;
        }
        finally
        {
            for (final RemoteCalls.Call call : sent)
            {
                if (!call.result.isDone())
                {
                    call.cancel();
                }
            }
        }
    }

    private ChunkResult await(final RemoteCalls.Call call)
    {
        try
        {
            return call.result.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a cluster pool result");
        }
        catch (final CancellationException ex)
        {
            throw new PoolClosedException("cluster pool was closed while the call waited");
        }
        catch (final ExecutionException | CompletionException ex)
        {
            final Throwable cause = ex.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    private void record(final ChunkResult result, final int items)
    {
        synchronized (work)
        {
            final Object[] w = work.computeIfAbsent(result.nodeId, k -> new Object[]{result.host, result.pid, 0L, 0L});
            w[2] = (Long)w[2] + 1;
            w[3] = (Long)w[3] + items;
        }
    }

    private static List<Object> toList(final Iterable<?> items)
    {
        final List<Object> list = new ArrayList<>();
        for (final Object item : items)
        {
            list.add(item);
        }
        return list;
    }

    /** Python's {@code terminate()}: cancels the chunks in flight (their nodes interrupt them); no more calls. */
    @Override
    public void close()
    {
        closed = true;
        for (final RemoteCalls.Call call : inFlight)
        {
            call.cancel();
        }
        calls.close();
    }

    @Override
    public String toString()
    {
        return "ClusterPool[" + processes + " at a time over " + context.servers() + " server nodes]";
    }
}
