package mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteClientDisconnectedException;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteState;
import org.apache.ignite.Ignition;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.spi.discovery.DiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Riding over a client reconnect. A client node talks to the cluster through one server, its router; when that
 * server dies and the client does not reach another one before the servers give up on it
 * ({@link IgniteSetup#CLIENT_FAILURE_DETECTION_MS}), the cluster drops the client as if it had died (its locks are
 * freed, its jobs cancelled) and the client joins again as a new node. Meanwhile Ignite fails every call of that
 * client with {@link IgniteClientDisconnectedException}. Every cluster object's call goes through here: a call
 * made while the client is away waits for it to be back (bounded, {@link #waitMillis}); a call cut off by the drop
 * runs again when it is safe to repeat ({@link #retry}), else raises {@link ClusterReconnectedException}
 * ({@link #once}), since whether it happened is unknown. Ignite's data structures stay usable across the reconnect
 * (the cluster kept them); only the client's identity (node id, topology order) is new.
 */
final class Reconnects
{
    /** A call cut off by drops this many times in a row gives up: the cluster is not one to carry on with. */
    static final int MAX_ATTEMPTS = 5;
    /** The least time a call waits for the client to be back. */
    static final long MIN_WAIT_MS = 30_000;

    interface Call<T>
    {
        T run();
    }

    private Reconnects()
    {
    }

    /** Runs {@code call}, waiting for a reconnect first when needed, and again after a drop cut it off. */
    static <T> T retry(final Ignite ignite, final String what, final Call<T> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            final Object result = attempt(ignite, what, call);
            if (!(result instanceof Cut cut))
            {
                return cast(result);
            }
            if (attempt >= MAX_ATTEMPTS)
            {
                throw new IllegalStateException(what + ": cut off " + attempt + " times in a row (the cluster " +
                    "dropped this client, or gave no answer within " + UnderWay.CALL_LIMIT_MS / 1000 + " s); " +
                    "giving up", cut.failure());
            }
        }
    }

    /** As {@link #retry}, without the void's null. */
    static void retryRun(final Ignite ignite, final String what, final Runnable call)
    {
        retry(ignite, what, () ->
        {
            call.run();
            return null;
        });
    }

    /**
     * Runs {@code call}, waiting for a reconnect first when needed; when a drop cuts it off, waits for the reconnect
     * and raises {@link ClusterReconnectedException}: {@code call} is not safe to repeat and may or may not have
     * happened ({@code unknown} says what to check).
     */
    static <T> T once(final Ignite ignite, final String what, final String unknown, final Call<T> call)
    {
        final Object result = attempt(ignite, what, call);
        if (result instanceof Cut cut)
        {
            throw new ClusterReconnectedException(what + " was under way when " + (cut.overtime() ?
                "the cluster gave it no answer within " + UnderWay.CALL_LIMIT_MS / 1000 + " s" :
                "the cluster dropped this client (its server died or did not hear from it) and it joined again") +
                ": " + unknown, cut.failure());
        }
        return cast(result);
    }

    /**
     * Runs {@code call}, waiting for a reconnect first when needed; when a drop cuts it off, waits for the reconnect
     * and returns {@code ifCut}: for a step whose caller knows which guess is the harmless one.
     */
    static <T> T atMostOnce(final Ignite ignite, final String what, final Call<T> call, final T ifCut)
    {
        final Object result = attempt(ignite, what, call);
        return result instanceof Cut ? ifCut : cast(result);
    }

    /** A call a drop cut off: its failure, and whether the watch's time limit was what cut it. */
    private record Cut(RuntimeException failure, boolean overtime)
    {
    }

    /**
     * One attempt at {@code call}, after waiting for the client to be connected: its result, or a {@link Cut} when a
     * drop cut it off (returned once the client is back); any other failure is thrown.
     */
    private static Object attempt(final Ignite ignite, final String what, final Call<?> call)
    {
        awaitConnected(ignite, what, null);
        final UnderWay underWay = UnderWay.enter(ignite);
        try
        {
            return call.run();
        }
        catch (final RuntimeException ex)
        {
            final IgniteClientDisconnectedException dropped = cutOff(ex, underWay);
            if (dropped == null)
            {
                throw ex;
            }
            underWay.exit();
            awaitConnected(ignite, what, dropped);
            return new Cut(ex, underWay.overtime);
        }
        finally
        {
            underWay.exit();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(final Object result)
    {
        return (T)result;
    }

    /**
     * The disconnect that cut {@code ex}'s call off: Ignite's own, or the one {@link UnderWay} saw (it woke the call
     * with an interrupt); null when {@code ex} is another failure.
     */
    private static IgniteClientDisconnectedException cutOff(final RuntimeException ex, final UnderWay underWay)
    {
        final IgniteClientDisconnectedException dropped = disconnected(ex);
        if (dropped != null || !underWay.cut)
        {
            return dropped;
        }
        return new IgniteClientDisconnectedException(null, underWay.overtime ? "the cluster gave the call no answer " +
            "within " + UnderWay.CALL_LIMIT_MS / 1000 + " s" : "the call was under way when this client's node left " +
            "the cluster", ex);
    }

    /** The disconnect behind {@code ex}, or null when it is another failure. */
    static IgniteClientDisconnectedException disconnected(final Throwable ex)
    {
        for (Throwable t = ex; t != null && t.getCause() != t; t = t.getCause())
        {
            if (t instanceof IgniteClientDisconnectedException d)
            {
                return d;
            }
            if (t.getClass().getName().endsWith("IgniteClientDisconnectedCheckedException"))
            {
                return new IgniteClientDisconnectedException(null, t.getMessage(), t);
            }
        }
        return null;
    }

    /**
     * Returns once this JVM's node is in the cluster: at once for a server or a connected client, else when the
     * client has joined again.
     *
     * @throws IllegalStateException naming the discovery addresses when it is not back within {@link #waitMillis}.
     */
    static void awaitConnected(final Ignite ignite, final String what, final IgniteClientDisconnectedException ex)
    {
        IgniteFuture<?> back = ex != null ? ex.reconnectFuture() : null;
        if (back == null)
        {
            try
            {
                back = ignite.cluster().clientReconnectFuture();
            }
            catch (final IgniteClientDisconnectedException again)
            {
                back = again.reconnectFuture();
            }
        }
        if (back == null || back.isDone())
        {
            return; // connected (Ignite keeps the last reconnect's future, done)
        }
        final long wait = waitMillis(ignite);
        try
        {
            back.get(wait, TimeUnit.MILLISECONDS);
        }
        catch (final IgniteException timeout)
        {
            if (back.isDone())
            {
                return; // the reconnect ended (it failed, or the node stopped): the call says what is wrong
            }
            throw new IllegalStateException(what + ": this client lost the cluster and did not join it again within " +
                wait / 1000 + " s; no server node answered at " + discovery(ignite) + ": check that server nodes " +
                "run there ('launcher node')", ex != null ? ex : timeout);
        }
    }

    /**
     * True while this JVM's client node is away from the cluster. Ignite keeps the reconnect future of the last
     * disconnect after it is done, so a client that came back once is away only while it is not done.
     */
    static boolean away(final Ignite ignite)
    {
        final IgniteFuture<?> back = ignite.cluster().clientReconnectFuture();
        return back != null && !back.isDone();
    }

    /** How long a call waits for the client to be back: twice its join timeout, at least {@value #MIN_WAIT_MS} ms. */
    static long waitMillis(final Ignite ignite)
    {
        final DiscoverySpi spi = ignite.configuration().getDiscoverySpi();
        final long join = spi instanceof TcpDiscoverySpi tcp ? tcp.getJoinTimeout() : 0;
        return Math.max(MIN_WAIT_MS, 2 * join);
    }

    /** The discovery addresses of this node, as configured. */
    static String discovery(final Ignite ignite)
    {
        if (ignite.configuration().getDiscoverySpi() instanceof TcpDiscoverySpi tcp &&
            tcp.getIpFinder() instanceof TcpDiscoveryVmIpFinder finder)
        {
            return String.join(",", finder.getRegisteredAddresses().stream().map(Object::toString).toList());
        }
        return "its discovery addresses";
    }

    /**
     * A call under way on a client node, and the watch that wakes it when the node leaves the cluster or the call
     * gets no answer. Ignite fails the calls pending at a disconnect, yet in an earlier test run here an
     * {@code IgniteAtomicLong.compareAndSet} made around a reconnect never returned, and Ignite's data-structure
     * calls have no timeout of their own (their system transactions take none, whatever the configuration says).
     * So each client node has a watch thread that looks at the node's identity every {@value #WATCH_MS} ms; a call
     * that began under an identity the node no longer has (it is away, or back under a new id), or one Ignite call
     * that has gone {@value #CALL_LIMIT_MS} ms without an answer, is interrupted, which ends any Ignite wait, and
     * is then handled as one a drop cut off. Interrupts the watch made are cleared before the call returns.
     */
    static final class UnderWay
    {
        static final long WATCH_MS = 100;
        /**
         * A call (or a slice of a blocking one, see {@link #progress()}) that has had no answer for this long is
         * woken and handled as cut off: no single round trip of a live cluster takes that long, even while it
         * settles a node's death on a busy machine.
         */
        static final long CALL_LIMIT_MS = 60_000;
        private static final ThreadLocal<UnderWay> CURRENT = new ThreadLocal<>();
        private static final Map<Ignite, Set<UnderWay>> CALLS = new ConcurrentHashMap<>();
        private static final UnderWay NONE = new UnderWay(null, null, null);

        private final Thread thread;
        private final UUID node;
        private final Set<UnderWay> calls;
        private volatile boolean cut;
        private volatile boolean overtime;
        private volatile long started = System.nanoTime();
        private UnderWay outer;
        private boolean interrupted;
        private boolean done;

        private UnderWay(final Thread thread, final UUID node, final Set<UnderWay> calls)
        {
            this.thread = thread;
            this.node = node;
            this.calls = calls;
        }

        /** Registers the calling thread's call; on a server node (which never reconnects) nothing. */
        static UnderWay enter(final Ignite ignite)
        {
            if (!Boolean.TRUE.equals(ignite.configuration().isClientMode()))
            {
                return NONE;
            }
            final UUID node;
            try
            {
                node = ignite.cluster().localNode().id();
            }
            catch (final RuntimeException ex)
            {
                return NONE; // stopping or away: the call itself says so
            }
            final Set<UnderWay> calls = CALLS.computeIfAbsent(ignite, UnderWay::watch);
            final UnderWay call = new UnderWay(Thread.currentThread(), node, calls);
            call.outer = CURRENT.get();
            CURRENT.set(call);
            calls.add(call);
            return call;
        }

        /** Ends the call's registration; clears the interrupt the watch made, if any. */
        synchronized void exit()
        {
            if (this == NONE || done)
            {
                return;
            }
            done = true;
            calls.remove(this);
            CURRENT.set(outer);
            if (interrupted)
            {
                Thread.interrupted();
            }
        }

        /** Tells the watch that the calling thread's call is alive: a blocking one waits again, a slice at a time. */
        static void progress()
        {
            final UnderWay call = CURRENT.get();
            if (call != null)
            {
                call.started = System.nanoTime();
            }
        }

        private synchronized void overtime()
        {
            if (!cut)
            {
                overtime = true;
                cut();
            }
        }

        private synchronized void cut()
        {
            if (done || cut)
            {
                return;
            }
            cut = true;
            if (!thread.isInterrupted())
            {
                interrupted = true;
                thread.interrupt();
            }
        }

        private static Set<UnderWay> watch(final Ignite ignite)
        {
            final Set<UnderWay> calls = ConcurrentHashMap.newKeySet();
            final Thread watch = new Thread(() ->
            {
                while (true)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(WATCH_MS));
                    UUID now;
                    try
                    {
                        now = away(ignite) ? null : ignite.cluster().localNode().id();
                    }
                    catch (final IgniteClientDisconnectedException away)
                    {
                        now = null;
                    }
                    catch (final RuntimeException stopped)
                    {
                        if (Ignition.state(ignite.name()) != IgniteState.STARTED)
                        {
                            CALLS.remove(ignite);
                            calls.forEach(UnderWay::cut);
                            return;
                        }
                        continue;
                    }
                    final long tooOld = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(CALL_LIMIT_MS);
                    for (final UnderWay call : calls)
                    {
                        if (!call.node.equals(now))
                        {
                            call.cut();
                        }
                        else if (call.started - tooOld < 0)
                        {
                            call.overtime();
                        }
                    }
                }
            }, "mp4j-reconnect-watch-" + ignite.name());
            watch.setDaemon(true);
            watch.start();
            return calls;
        }
    }
}
