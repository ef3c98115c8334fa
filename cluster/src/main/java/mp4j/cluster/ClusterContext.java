package mp4j.cluster;

import mp4j.context.Context;
import mp4j.queues.Pipe;
import mp4j.sharedmemory.SharedMemory;
import mp4j.synchronize.SharedLock;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteIllegalStateException;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;

import java.nio.file.Path;
import java.util.List;

/**
 * The cluster context: the same {@link Context} as {@link Context#local()}, over an Apache Ignite cluster of server
 * nodes ({@code launcher node}). Switching a program is one line:
 * <pre>{@code
 * Context ctx = ClusterContext.connect("127.0.0.1:47500..47509");   // was: Context.local()
 * try (ProcessPool pool = ctx.pool(8))
 * {
 *     List<Long> squares = pool.map((Long x) -> x * x, inputs);
 * }
 * }</pre>
 * {@link #connect} starts a client node in this JVM (which needs the JVM flags {@link JvmFlags#check()} names);
 * {@link #close()} stops it. Each object maps onto Ignite: Pool onto compute over the server nodes (chunked as
 * {@code map} is, at-least-once), Value onto an atomic long, Lock onto a failover-safe semaphore of one, RLock onto
 * a failover-safe reentrant lock, Condition onto its condition, Queue onto a queue with a backup, Event and
 * Barrier onto a lock, its condition and atomics. Objects travel to tasks by name and stay on the cluster until
 * {@code destroy()}ed; {@code launcher cluster} lists them. A distributed call costs milliseconds.
 */
public final class ClusterContext implements Context, AutoCloseable
{
    private static volatile ClusterContext lastConnected;

    private final Ignite ignite;
    private final ClusterConfig config;
    private final Path workDir;
    private final boolean ownsNode;
    private final Thread stopAtExit;

    private ClusterContext(final Ignite ignite, final ClusterConfig config, final Path workDir, final boolean ownsNode)
    {
        this.ignite = ignite;
        this.config = config;
        this.workDir = workDir;
        this.ownsNode = ownsNode;
        if (ownsNode)
        {
            stopAtExit = new Thread(this::stop, "mp4j-cluster-client-stop");
            Runtime.getRuntime().addShutdownHook(stopAtExit);
        }
        else
        {
            stopAtExit = null;
        }
    }

    /**
     * Joins the cluster whose server nodes listen at {@code discovery} as a client node of this JVM, every other
     * setting at its {@link ClusterConfig} default.
     *
     * @param discovery comma-separated {@code HOST:PORT..PORT} entries, as {@link ClusterConfig#discovery(String)}
     *                  takes them.
     * @return the connected context; {@link #close()} it to leave (a shutdown hook does, at the latest).
     * @throws IllegalArgumentException when an address is malformed.
     * @throws IllegalStateException    when this JVM lacks Ignite's flags (naming them), or no server node answered
     *                                  within the join timeout.
     */
    public static ClusterContext connect(final String discovery)
    {
        return connect(ClusterConfig.discovery(discovery));
    }

    /**
     * Joins the cluster as a client node of this JVM.
     *
     * @param config where the cluster is and how to join it.
     * @return the connected context; {@link #close()} it to leave (a shutdown hook does, at the latest).
     * @throws IllegalStateException when this JVM lacks Ignite's flags (naming them), or no server node answered
     *                               within the join timeout.
     */
    public static ClusterContext connect(final ClusterConfig config)
    {
        JvmFlags.check();
        DiscoveryProbe.awaitSomeoneListening(config, "client"); // fail fast when nobody is there
        final Path workDir = WorkDirs.create(config.workDir());
        try
        {
            final IgniteConfiguration c = IgniteSetup.client(config, workDir);
            final Ignite ignite = Ignition.start(c);
            IgniteSetup.started(c);
            final ClusterContext context = new ClusterContext(ignite, config, workDir, true);
            lastConnected = context;
            return context;
        }
        catch (final IgniteException ex)
        {
            WorkDirs.deleteQuietly(workDir);
            throw IgniteSetup.explainStartFailure(ex, config, "client");
        }
        catch (final RuntimeException | Error ex)
        {
            WorkDirs.deleteQuietly(workDir);
            throw ex;
        }
    }

    /**
     * A context over a node this JVM already runs (a server's own tasks, a test); {@link #close()} leaves it running.
     *
     * @param ignite the running node; its objects get the default of {@link ClusterConfig#local()} (one backup).
     * @return a new context that does not own the node.
     */
    public static ClusterContext of(final Ignite ignite)
    {
        return new ClusterContext(ignite, ClusterConfig.local(), null, false);
    }

    /**
     * Inside a task on a cluster node: a context over that node, to make or find objects there.
     *
     * @return a context that does not own the node: the task's node inside a task, else the last one this JVM
     *         connected.
     * @throws IllegalStateException when this JVM runs no Ignite node, or several and has connected none.
     */
    public static ClusterContext current()
    {
        return of(localIgnite());
    }

    /** The Ignite node of this JVM: the task's node inside a task, else the last one connected. */
    static Ignite localIgnite()
    {
        try
        {
            return Ignition.localIgnite();
        }
        catch (final IgniteIllegalStateException ex)
        {
            final ClusterContext last = lastConnected;
            if (last != null)
            {
                return last.ignite;
            }
            final List<Ignite> all = Ignition.allGrids();
            if (all.size() == 1)
            {
                return all.get(0);
            }
            throw new IllegalStateException("a cluster object was used in a JVM with " +
                (all.isEmpty() ? "no Ignite node" : all.size() + " Ignite nodes and no connected context") +
                ": use it in the program that made it (ClusterContext.connect) or in its pool's tasks", ex);
        }
    }

    @Override
    public String name()
    {
        return "cluster";
    }

    /**
     * The Ignite node underneath, for what mp4j does not wrap.
     *
     * @return the node; still this context's: do not close it.
     */
    public Ignite ignite()
    {
        return ignite;
    }

    /**
     * The discovery list this context joined with.
     *
     * @return comma-separated {@code HOST:PORT..PORT} entries.
     */
    public String discovery()
    {
        return config.discoveryText();
    }

    /**
     * Server nodes in the cluster now; they run the tasks and hold the data.
     *
     * @return their count, at least 1 while connected.
     */
    public int servers()
    {
        return Reconnects.retry(ignite, "counting the server nodes", () -> ignite.cluster().forServers().nodes().size());
    }

    @Override
    public ClusterPool pool(final int processes)
    {
        return new ClusterPool(this, processes);
    }

    @Override
    public ClusterExecutor executor(final int processes)
    {
        return new ClusterExecutor(this, processes);
    }

    @Override
    public ClusterValue value(final char typeCode, final long initial)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterValue.create(ignite, null, typeCode, ClusterValue.bitsOf(typeCode, initial)));
    }

    @Override
    public ClusterValue value(final char typeCode, final double initial)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterValue.create(ignite, null, typeCode, ClusterValue.bitsOf(typeCode, initial)));
    }

    /**
     * The Value {@code name}: made with {@code initial} when the cluster has none of that name, else the existing
     * one: how separate programs share one.
     *
     * @param name     the name on the cluster.
     * @param typeCode an array-module type code ({@code 'i'}, {@code 'd'}, ...); must be the one the Value was made
     *                 with, as its bits are read as this code says.
     * @param initial  the value it starts with when made here; ignored when it exists.
     * @return a handle on the Value.
     * @throws IllegalArgumentException when the type code is unknown.
     */
    public ClusterValue value(final String name, final char typeCode, final long initial)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterValue.create(ignite, name, typeCode, ClusterValue.bitsOf(typeCode, initial)));
    }

    @Override
    public ClusterLock lock()
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterLock.create(ignite, null));
    }

    /**
     * The Lock {@code name}, made when missing: how separate programs share one.
     *
     * @param name the name on the cluster.
     * @return a handle on the Lock.
     */
    public ClusterLock lock(final String name)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterLock.create(ignite, name));
    }

    @Override
    public ClusterRLock rlock()
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterRLock.create(ignite, null));
    }

    /**
     * The RLock {@code name}, made when missing: how separate programs share one.
     *
     * @param name the name on the cluster.
     * @return a handle on the RLock.
     */
    public ClusterRLock rlock(final String name)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterRLock.create(ignite, name));
    }

    @Override
    public ClusterSemaphore semaphore(final int value)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterSemaphore.create(ignite, null, value, false));
    }

    @Override
    public ClusterSemaphore boundedSemaphore(final int value)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterSemaphore.create(ignite, null, value, true));
    }

    @Override
    public ClusterEvent event()
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterEvent.create(ignite, null));
    }

    /**
     * The Event {@code name}, made (clear) when missing: how separate programs share one.
     *
     * @param name the name on the cluster.
     * @return a handle on the Event.
     */
    public ClusterEvent event(final String name)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterEvent.create(ignite, name));
    }

    @Override
    public ClusterCondition condition()
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterCondition.create(ignite, null, null));
    }

    /**
     * @throws IllegalArgumentException unless {@code lock} is a cluster RLock: Ignite's conditions belong to its
     *                                  reentrant lock.
     */
    @Override
    public ClusterCondition condition(final SharedLock lock)
    {
        if (!(lock instanceof ClusterRLock rlock))
        {
            throw new IllegalArgumentException("a cluster Condition needs a cluster RLock (ctx.rlock()), got " +
                (lock == null ? "null" : lock.getClass().getSimpleName()) + ": Ignite's conditions belong to its " +
                "reentrant lock; a Lock (a semaphore of one, so that any process may release it) has none");
        }
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterCondition.create(ignite, null, rlock));
    }

    @Override
    public ClusterBarrier barrier(final int parties)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterBarrier.create(ignite, null, parties));
    }

    @Override
    public ClusterQueue queue()
    {
        return queue(0);
    }

    @Override
    public ClusterQueue queue(final int maxsize)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterQueue.create(ignite, null, maxsize, config.backups()));
    }

    /**
     * The Queue {@code name}, made when missing: how separate programs share one.
     *
     * @param name    the name on the cluster.
     * @param maxsize the most items it holds before {@code put} blocks; 0 = unbounded. Used when the queue is made
     *                here; an existing one keeps its own.
     * @return a handle on the Queue.
     * @throws IllegalArgumentException when maxsize is negative.
     */
    public ClusterQueue queue(final String name, final int maxsize)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterQueue.create(ignite, name, maxsize, config.backups()));
    }

    @Override
    public ClusterJoinableQueue joinableQueue()
    {
        return joinableQueue(0);
    }

    @Override
    public ClusterJoinableQueue joinableQueue(final int maxsize)
    {
        return Reconnects.retry(ignite, "making a cluster object", () -> ClusterJoinableQueue.create(ignite, null, maxsize, config.backups()));
    }

    /** @throws UnsupportedOperationException always: a Pipe joins two processes of one machine. */
    @Override
    public Pipe pipe(final boolean duplex)
    {
        throw new UnsupportedOperationException("Pipe has no cluster meaning in mp4j: a Pipe joins two processes " +
            "of one machine through shared memory; between cluster nodes use a Queue (ctx.queue()), or run on one " +
            "machine with Context.local()");
    }

    /** @throws UnsupportedOperationException always: cluster nodes share no memory. */
    @Override
    public SharedMemory sharedMemory(final String name, final boolean create, final long size)
    {
        throw new UnsupportedOperationException("SharedMemory has no cluster meaning: it is memory of one machine, " +
            "and cluster nodes share none; send data in a Queue, keep numbers in a Value, or run on one machine " +
            "with Context.local()");
    }

    /**
     * The nodes and mp4j objects of the cluster, as {@code launcher cluster} shows them.
     *
     * @return a snapshot taken now; it does not change afterwards.
     */
    public ClusterSnapshot snapshot()
    {
        return ClusterSnapshot.of(ignite);
    }

    /** Leaves the cluster: stops this JVM's client node (its tasks still running are cancelled). */
    @Override
    public void close()
    {
        if (!ownsNode)
        {
            return;
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is exiting: the hook runs stop()
        }
        stop();
    }

    private void stop()
    {
        if (lastConnected == this)
        {
            lastConnected = null;
        }
        try
        {
            Ignition.stop(ignite.name(), true);
        }
        finally
        {
            WorkDirs.deleteQuietly(workDir);
        }
    }

    @Override
    public String toString()
    {
        return "Context[cluster " + config.discoveryText() + "]";
    }
}
