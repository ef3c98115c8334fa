package mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterGroupEmptyException;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.lang.IgniteFuture;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends {@link ChunkJob}s to the cluster's server nodes (Ignite's round-robin balancing picks one) and runs a job
 * again on another node when its node leaves before answering: at-least-once. Ignite's own failover is off
 * ({@code withNoFailover}) so that mp4j counts each re-run ({@link #reruns()}) and never re-runs a job that
 * failed by itself.
 */
final class RemoteCalls implements AutoCloseable
{
    /** A job is sent at most this many times; a cluster losing nodes that fast is not one to finish on. */
    static final int MAX_ATTEMPTS = 10;

    private final Ignite ignite;
    private final String discovery;
    private final AtomicLong reruns = new AtomicLong();
    private final ScheduledExecutorService resend;

    RemoteCalls(final Ignite ignite, final String discovery)
    {
        this.ignite = ignite;
        this.discovery = discovery;
        this.resend = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "mp4j-cluster-calls");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One job in flight: its result, and the Ignite future of its current attempt (to cancel it). */
    static final class Call
    {
        final ChunkJob job;
        final CompletableFuture<ChunkResult> result = new CompletableFuture<>();
        volatile IgniteFuture<ChunkResult> current;
        int attempts;

        Call(final ChunkJob job)
        {
            this.job = job;
        }

        /** Cancels the job: no result; the node running it interrupts it. */
        void cancel()
        {
            result.cancel(false);
            final IgniteFuture<ChunkResult> f = current;
            if (f != null && !f.isDone())
            {
                try
                {
                    f.cancel();
                }
                catch (final IgniteException ex)
                {
                    // its node is gone: nothing left to cancel
                }
            }
        }
    }

    Call submit(final ChunkJob job)
    {
        final Call call = new Call(job);
        send(call);
        return call;
    }

    /**
     * Checks that {@code task} and all it captures serialize, before it goes out: Ignite's marshaller would send a
     * captured object that cannot be serialized (a Thread, a stream) as null, and the task would fail over there
     * with a NullPointerException far from the cause.
     *
     * @throws IllegalArgumentException naming the class that cannot be serialized.
     */
    static void requireSerializable(final Object task)
    {
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream()))
        {
            out.writeObject(task);
        }
        catch (final NotSerializableException ex)
        {
            throw new IllegalArgumentException("the task cannot go to the cluster: it captures a " + ex.getMessage() +
                ", which is not serializable. A task and what it captures must be serializable: give a lambda where " +
                "mp4j expects a RemoteFunction, StarFunction or RemoteCallable, and capture only serializable values");
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("the task cannot go to the cluster: serializing it failed: " + ex, ex);
        }
    }

    /** Jobs sent again because their node left. */
    long reruns()
    {
        return reruns.get();
    }

    private void send(final Call call)
    {
        if (call.result.isDone())
        {
            return;
        }
        call.attempts++;
        try
        {
            final IgniteCompute compute = ignite.compute(ignite.cluster().forServers()).withNoFailover();
            final IgniteFuture<ChunkResult> future = compute.callAsync(call.job);
            call.current = future;
            future.listen(done -> onDone(call, done));
        }
        catch (final IgniteException ex)
        {
            fail(call, ex);
        }
    }

    private void onDone(final Call call, final IgniteFuture<ChunkResult> done)
    {
        try
        {
            call.result.complete(done.get());
        }
        catch (final IgniteException ex)
        {
            fail(call, ex);
        }
    }

    private void fail(final Call call, final IgniteException ex)
    {
        if (call.result.isDone())
        {
            return;
        }
        if (Reconnects.disconnected(ex) != null && call.attempts < MAX_ATTEMPTS)
        {
            // the cluster dropped this client (its server died): the job was cancelled with it; send it again
            // once the client is back (at-least-once, as for a node that left)
            reruns.incrementAndGet();
            resend.execute(() ->
            {
                try
                {
                    Reconnects.awaitConnected(ignite, "a cluster pool task", Reconnects.disconnected(ex));
                    send(call);
                }
                catch (final RuntimeException notBack)
                {
                    call.result.completeExceptionally(notBack);
                }
            });
            return;
        }
        if (nodeLeft(ex) && !(ex instanceof ClusterGroupEmptyException) && call.attempts < MAX_ATTEMPTS)
        {
            reruns.incrementAndGet();
            // a moment for the topology to settle: the dead node may still be listed for a few ms
            resend.schedule(() -> send(call), 20L * call.attempts, TimeUnit.MILLISECONDS);
            return;
        }
        call.result.completeExceptionally(explain(ex));
    }

    static boolean nodeLeft(final Throwable ex)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (t instanceof ClusterTopologyException ||
                t.getClass().getName().endsWith("ClusterTopologyCheckedException"))
            {
                return true;
            }
        }
        return false;
    }

    private RuntimeException explain(final IgniteException ex)
    {
        if (ex instanceof ClusterGroupEmptyException || rootMessage(ex).contains("Cluster group is empty"))
        {
            return new IllegalStateException("no server node left in the cluster (" + discovery + ") to run the " +
                "task: start one with 'launcher node'", ex);
        }
        if (nodeLeft(ex))
        {
            return new IllegalStateException("the task's node left the cluster " + MAX_ATTEMPTS +
                " times in a row; giving up", ex);
        }
        final String root = rootMessage(ex);
        if (root.contains("not serializable") || root.contains("marshal") || root.contains("Serializ"))
        {
            return new IllegalArgumentException("the task could not be sent to the cluster: " + root + ". A task " +
                "and what it captures must be serializable: give a lambda where mp4j expects a RemoteFunction, " +
                "StarFunction or RemoteCallable, and capture only serializable values", ex);
        }
        return new IllegalStateException("the cluster could not run the task: " + root, ex);
    }

    private static String rootMessage(final Throwable ex)
    {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root)
        {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    @Override
    public void close()
    {
        resend.shutdownNow();
    }
}
