package mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteClientDisconnectedException;
import org.apache.ignite.Ignition;
import org.apache.ignite.lang.IgniteRunnable;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.internal.TcpDiscoveryNode;
import mp4j.queues.Empty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Faults on a cluster of three server node JVMs, each made with kill -9 (no hook runs): a node dies in the middle
 * of a map, a node dies holding a Lock and an RLock (with Values and Queue items on the cluster), the client
 * program dies in the middle of its map. Times (lock free again after its holder died, ...) are printed, not
 * asserted: they are figures for docs/cluster.md, and a busy machine may miss any bound; what is asserted is that
 * nothing is lost, nothing is wrong and nothing waits forever. The tests run in an order that needs no node
 * restarted (a node start takes tens of seconds on a busy machine): the client's death kills no node, then each of
 * the other two kills one of the three nodes, leaving at least one survivor holding every backup.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultTest
{
    @RegisterExtension
    static final TestCluster cluster = new TestCluster(3);

    private static List<Integer> range(final int n)
    {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    /** The pid of the server node this client talks to the cluster through (its discovery router). */
    private static long routerPid(final Ignite ignite)
    {
        final UUID router = ((TcpDiscoveryNode)ignite.cluster().localNode()).clientRouterNodeId();
        return (Long)ignite.cluster().node(router).attribute(IgniteSetup.ATTR_PID);
    }

    /** Waits until this client is in the cluster and its topology no longer lists the node {@code pid}. */
    private static double settle(final Ignite ignite, final long pid) throws InterruptedException
    {
        final long start = System.nanoTime();
        while (true)
        {
            try
            {
                if (!Reconnects.away(ignite) && ignite.cluster().forServers().nodes().stream()
                    .noneMatch(n -> Long.valueOf(pid).equals(n.attribute(IgniteSetup.ATTR_PID))))
                {
                    return (System.nanoTime() - start) / 1e9;
                }
            }
            catch (final IgniteClientDisconnectedException away)
            {
                // still away
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120), "the client did not settle");
            Thread.sleep(20);
        }
    }

    /**
     * Makes the cluster drop this client, which joins again as a new node; returns the seconds until it was back.
     */
    private static double reconnect(final Ignite ignite, final UUID before) throws InterruptedException
    {
        final long start = System.nanoTime();
        // a server fails this client, as the servers do when it is silent too long (clientReconnect() would only
        // move it to another server, keeping its identity)
        ignite.compute(ignite.cluster().forServers().forRandom()).runAsync((IgniteRunnable)() ->
            ((TcpDiscoverySpi)Ignition.localIgnite().configuration().getDiscoverySpi()).failNode(before,
                "ClusterFaultTest drops the client"));
        while (true)
        {
            try
            {
                if (!before.equals(ignite.cluster().localNode().id()) && !Reconnects.away(ignite))
                {
                    return (System.nanoTime() - start) / 1e9;
                }
            }
            catch (final IgniteClientDisconnectedException away)
            {
                // still away
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120), "the client did not join again");
            Thread.sleep(20);
        }
    }

    /**
     * The node killed is this client's router: the client may be dropped by the cluster and join again as a new node
     * (every call under way then fails in Ignite). The map and a program using a Value, a Lock and a Queue at the same
     * time carry on over it.
     */
    @Test
    @Order(2)
    void aNodeKilledMidMapEvenTheClientsRouterLeavesEveryResultRightAndTheProgramCarriesOn() throws Exception
    {
        cluster.awaitAtLeast(2);
        final ClusterContext ctx = cluster.context();
        final Ignite ignite = ctx.ignite();
        final UUID clientId = ignite.cluster().localNode().id();
        final ClusterQueue started = ctx.queue();
        final ClusterValue value = ctx.value('q', 0);
        final ClusterLock lock = ctx.lock();
        final ClusterQueue items = ctx.queue();
        final List<ClusterObject> others = new ArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong rounds = new AtomicLong();
        final AtomicLong missing = new AtomicLong();
        // two threads of its own: on 2 cores the common ForkJoinPool has one, which the program's loop would keep
        // from the map (on JDK 25 the map never started in 180 s)
        final ExecutorService background = Executors.newFixedThreadPool(2);
        // the program's other work, through the kill: each round sets, reads, locks, puts and takes
        final CompletableFuture<Void> program = CompletableFuture.runAsync(() ->
        {
            try
            {
                for (long i = 1; !stop.get(); i++)
                {
                    value.set(i);
                    assertEquals(i, value.get());
                    assertTrue(lock.acquire(120, TimeUnit.SECONDS), "the Lock is free again");
                    lock.release();
                    items.put(i);
                    try
                    {
                        items.get(true, 10_000);
                    }
                    catch (final Empty ex)
                    {
                        missing.incrementAndGet(); // an item under way at a drop may go missing (docs/cluster.md)
                    }
                    rounds.incrementAndGet();
                }
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        }, background);
        try (ClusterPool pool = ctx.pool(6))
        {
            final CompletableFuture<List<Integer>> results = CompletableFuture.supplyAsync(() ->
                pool.map((Integer x) ->
                {
                    started.put(ProcessHandle.current().pid());
                    Thread.sleep(300);
                    return 3 * x;
                }, range(60), 2), background);
            started.get(true, 180_000);
            final long victim = routerPid(ignite);
            final long roundsBefore = rounds.get();
            final long killed = System.nanoTime();
            assertTrue(cluster.kill(victim), "the client's router is one of the test's server nodes");
            // whether the cluster drops this client now depends on the machine's load (it must find another router
            // within the servers' patience): once it is settled, make sure it was dropped, as the cluster does when
            // it gives up on it
            final double settledSeconds = settle(ignite, victim);
            final boolean droppedByKill = !clientId.equals(ignite.cluster().localNode().id());
            final double reconnectSeconds = droppedByKill ? settledSeconds : reconnect(ignite, clientId);
            // a blocking get on the client wakes for an item put after the reconnect (Ignite's wake-up for it is lost)
            final ClusterQueue late = ctx.queue();
            others.add(late);
            ignite.compute(ignite.cluster().forServers()).runAsync((IgniteRunnable)() ->
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
                try
                {
                    late.put("late");
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            final long waited = System.nanoTime();
            assertEquals("late", late.get(true, 60_000), "the item put on a server while the client waited");
            final double lateSeconds = (System.nanoTime() - waited) / 1e9;
            final List<Integer> got = results.get(300, TimeUnit.SECONDS);
            assertEquals(range(60).stream().map(x -> 3 * x).toList(), got, "every result right, in order");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (rounds.get() < roundsBefore + 20 && !program.isDone())
            {
                assertTrue(System.nanoTime() < deadline, "the program's rounds stopped after the kill");
                Thread.sleep(20);
            }
            stop.set(true);
            program.get(120, TimeUnit.SECONDS); // raises what the program raised
            assertNotEquals(clientId, ignite.cluster().localNode().id(), "the client joined again as a new node");
            System.out.printf("kill -9 of the client's router mid-map (settled %.2f s after, dropped by it: %s), the client dropped: back " +
                "%.2f s after, map " +
                "done %.2f s after, %d chunk(s) ran again; the program did %d rounds before, %d after (%d item(s) " +
                "missing); a blocking get woke %.2f s after it began%n", settledSeconds, droppedByKill, reconnectSeconds, (System.nanoTime() - killed) / 1e9, pool.reruns(), roundsBefore,
                rounds.get() - roundsBefore, missing.get(), lateSeconds);
            assertTrue(pool.nodes().stream().noneMatch(n -> n.pid() == victim && n.tasks() > 30),
                "the results came from the survivors: " + pool.nodes());
        }
        finally
        {
            stop.set(true);
            background.shutdown();
            program.get(120, TimeUnit.SECONDS);
            others.addAll(List.of(started, value, lock, items));
            for (final ClusterObject o : others)
            {
                o.destroy();
            }
        }
    }

    @Test
    @Order(3)
    void aNodeKilledHoldingLocksFreesThemAndLosesNoData() throws Exception
    {
        cluster.awaitAtLeast(2); // with one backup, a second node keeps every value and item
        final ClusterContext ctx = cluster.context();
        final ClusterLock lock = ctx.lock();
        final ClusterRLock rlock = ctx.rlock();
        final List<ClusterValue> values = new ArrayList<>();
        for (int i = 0; i < 12; i++)
        {
            values.add(ctx.value('q', 1000L * i + 7)); // spread over the nodes' partitions
        }
        final ClusterQueue queue = ctx.queue();
        for (int i = 0; i < 100; i++)
        {
            queue.put(i);
        }
        final ClusterQueue holders = ctx.queue();
        final Ignite ignite = ctx.ignite();
        // plain Ignite compute without failover: a holder run again elsewhere would take the lock back. Not on this
        // client's discovery router: killing that one is the client-reconnect case (docs/cluster.md), not this test's
        final java.util.UUID router = ((org.apache.ignite.spi.discovery.tcp.internal.TcpDiscoveryNode)
            ignite.cluster().localNode()).clientRouterNodeId();
        ignite.compute(ignite.cluster().forServers().forPredicate(node -> !node.id().equals(router)))
            .withNoFailover().runAsync((IgniteRunnable)() ->
        {
            lock.acquire();
            rlock.acquire();
            try
            {
                holders.put(ProcessHandle.current().pid());
                Thread.sleep(600_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        final long victim = (Long)holders.get(true, 180_000);
        assertTrue(lock.isLocked());
        assertTrue(rlock.isLocked());
        assertFalse(lock.tryAcquire());
        final long holderNode = ignite.atomicLong(lock.name(), 0, false).get(); // the holder's topology order
        final long killed = System.nanoTime();
        assertTrue(cluster.kill(victim));
        final double deadSeconds = (System.nanoTime() - killed) / 1e9;
        // where the time goes: the topology dropping the node (discovery), then the exchange before a write
        final CompletableFuture<Double> dropped = CompletableFuture.supplyAsync(() ->
        {
            while (Liveness.alive(ignite, holderNode) && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(120))
            {
                LockSupport.parkNanos(1_000_000);
            }
            return (System.nanoTime() - killed) / 1e9;
        });
        // a bound against hanging, not a speed target: the time is printed for docs/cluster.md
        assertTrue(lock.acquire(120, TimeUnit.SECONDS), "the dead holder's Lock is free again");
        final double lockSeconds = (System.nanoTime() - killed) / 1e9;
        assertTrue(lock.ownerDied(), "the takeover shows, as a local Lock's does");
        assertTrue(rlock.acquire(120, TimeUnit.SECONDS), "the dead holder's RLock is free again");
        final double rlockSeconds = (System.nanoTime() - killed) / 1e9;
        System.out.printf("kill -9 of the holder: its JVM gone %.2f s after, dropped from the topology %.2f s, " +
            "Lock acquired by another node %.2f s, RLock %.2f s%n", deadSeconds, dropped.get(), lockSeconds,
            rlockSeconds);
        rlock.release();
        lock.release();
        for (int i = 0; i < values.size(); i++)
        {
            assertEquals(1000L * i + 7, values.get(i).get(), "a Value keeps its value");
        }
        final List<Object> items = new ArrayList<>();
        for (int i = 0; i < 100; i++)
        {
            items.add(queue.getNowait());
        }
        assertEquals(range(100).stream().map(x -> (Object)x).toList(), items, "every item put before the kill");
        assertTrue(queue.empty());
        for (final ClusterObject o : List.of(lock, rlock, queue, holders))
        {
            o.destroy();
        }
        values.forEach(ClusterValue::destroy);
    }

    @Test
    @Order(1)
    void aKilledClientsJobsAreCancelledAndItsObjectsStayConsistent() throws Exception
    {
        cluster.awaitAtLeast(2);
        final ClusterContext ctx = cluster.context();
        final String prefix = "driver-" + ProcessHandle.current().pid();
        final int items = 600;
        final ClusterValue started = ctx.value(prefix + "-started", 'q', 0);
        final Path out = Path.of("target", "cluster-nodes", "driver.out");
        final List<String> command = new ArrayList<>(List.of(NodeProcess.javaBinary()));
        command.addAll(JvmFlags.forJava(Runtime.version().feature()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DriverMain.class.getName(),
            cluster.discovery(), prefix, Integer.toString(items)));
        final Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (started.get() < 12)
            {
                assertTrue(driver.isAlive(), () -> "the driver ended early: " + read(out));
                assertTrue(System.nanoTime() < deadline, () -> "the driver's map did not start: " + read(out));
                Thread.sleep(50);
            }
        }
        finally
        {
            driver.destroyForcibly(); // kill -9 of the client, in the middle of its map
            driver.waitFor(30, TimeUnit.SECONDS);
        }
        final long killed = System.nanoTime();
        final ClusterLock lock = ctx.lock(prefix + "-lock");
        assertTrue(lock.acquire(120, TimeUnit.SECONDS), "the dead client's Lock is free again");
        System.out.printf("kill -9 of the client: its Lock acquired %.2f s after%n", (System.nanoTime() - killed) / 1e9);
        assertEquals(77, ctx.value(prefix + "-value", 'q', 0).get());
        final ClusterQueue queue = ctx.queue(prefix + "-queue", 0);
        assertEquals(20, queue.qsize(), "its queue kept its items");
        // its jobs were cancelled: the count of started calls settles well short of the whole map
        long last = -1;
        long now = started.get();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (now != last)
        {
            assertTrue(System.nanoTime() < deadline, "the dead client's jobs went on running");
            Thread.sleep(2_000);
            last = now;
            now = started.get();
        }
        assertTrue(now < items, "the map stopped with its client: " + now + " of " + items + " calls started");
        System.out.println("kill -9 of the client: its map stopped after " + now + " of " + items + " calls");
        try (ClusterPool pool = ctx.pool(6))
        {
            assertEquals(range(30), pool.map((Integer x) -> x, range(30), 1), "no node hangs: they take new work");
        }
        lock.release();
        for (final ClusterObject o : List.of(lock, queue, started, ctx.value(prefix + "-value", 'q', 0)))
        {
            o.destroy();
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final Exception ex)
        {
            return "(" + ex + ")";
        }
    }
}
