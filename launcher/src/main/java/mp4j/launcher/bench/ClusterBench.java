package mp4j.launcher.bench;

import mp4j.cluster.ClusterConfig;
import mp4j.cluster.ClusterContext;
import mp4j.cluster.ClusterLock;
import mp4j.cluster.ClusterPool;
import mp4j.cluster.ClusterRLock;
import mp4j.cluster.ClusterValue;
import mp4j.cluster.NodeMain;
import mp4j.cluster.NodeProcess;
import mp4j.pool.Pool;
import mp4j.pool.RemoteFunction;
import mp4j.pool.StarFunction;
import mp4j.sharedctypes.Value;
import mp4j.synchronize.Lock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code cluster}: the cluster figures of {@code scripts/bench --cluster}, each beside the same work done locally,
 * in one run: it starts two server node JVMs on 127.0.0.1 (a port range of its own), joins them as a client, and
 * measures the apply round trip, {@code map} throughput over the two nodes with items of about 1 ms and 20 ms of
 * work, Lock and RLock acquire+release pairs, and atomic increments of a Value. The value is map items/s at 20 ms;
 * every figure is in the extras.
 */
public final class ClusterBench implements BenchFigure
{
    /** Collatz numbers per item: about 1 ms and 20 ms of work on this kind of machine ({@code pool --work}). */
    static final int WORK_1MS = 5_000;
    static final int WORK_20MS = 100_000;

    /**
     * One figure of docs/benchmarks-cluster.md: the extra {@code cluster_KEY} beside the extra {@code local} (the
     * same work on this machine's processes).
     */
    public record Part(String key, String what, String unit, boolean higherIsBetter, String local)
    {
    }

    /** The figures one run measures, in the order the table shows them. */
    public static final List<Part> PARTS = List.of(
        new Part("apply_median_ms", "apply round trip, median (Pool(4) over 2 nodes / Pool(2) here)", "ms", false,
            "local_apply_median_ms"),
        new Part("map_1ms_chunk1_items_s", "map, items of ~1 ms, chunksize 1", "items/s", true,
            "local_map_1ms_chunk1_items_s"),
        new Part("map_1ms_default_items_s", "map, items of ~1 ms, Python's chunksize", "items/s", true,
            "local_map_1ms_chunk1_items_s"),
        new Part("map_20ms_chunk1_items_s", "map, items of ~20 ms, chunksize 1", "items/s", true,
            "local_map_20ms_chunk1_items_s"),
        new Part("map_20ms_default_items_s", "map, items of ~20 ms, Python's chunksize", "items/s", true,
            "local_map_20ms_chunk1_items_s"),
        new Part("lock_pairs_s", "Lock acquire+release, one thread", "pairs/s", true, "local_lock_pairs_s"),
        new Part("rlock_pairs_s", "RLock acquire+release, one thread", "pairs/s", true, "local_lock_pairs_s"),
        new Part("atomic_increments_s", "Value.incrementAndGet(), one thread", "ops/s", true,
            "local_atomic_increments_s"),
        new Part("locked_increments_s", "Value set(get()+1) under get_lock(), one thread", "ops/s", true,
            "local_atomic_increments_s"));

    private final Map<String, Object> extras = new LinkedHashMap<>();

    @Override
    public String key()
    {
        return "cluster";
    }

    @Override
    public String unit()
    {
        return "items/s";
    }

    /** Its peer is the same work done locally, in the same run (the extras), not Python. */
    @Override
    public List<String> peers()
    {
        return List.of();
    }

    @Override
    public String description()
    {
        return "cluster figures beside local ones (2 server nodes on 127.0.0.1); value: map items/s of ~20 ms items";
    }

    @Override
    public boolean higherIsBetter()
    {
        return true;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final int port = freePortRange();
        final List<Process> nodes = new ArrayList<>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                nodes.add(startNode(port));
            }
            try (ClusterContext ctx = ClusterContext.connect(ClusterConfig.discovery(ClusterConfig.loopbackRange(port))
                .joinTimeout(Duration.ofSeconds(60))))
            {
                while (ctx.servers() < 2)
                {
                    Thread.sleep(50);
                }
                return measure(ctx, quick);
            }
        }
        finally
        {
            for (final Process node : nodes)
            {
                node.destroy();
            }
            for (final Process node : nodes)
            {
                if (!node.waitFor(30, TimeUnit.SECONDS))
                {
                    node.destroyForcibly();
                }
            }
        }
    }

    private double measure(final ClusterContext ctx, final boolean quick) throws Exception
    {
        final int calls = quick ? 100 : 400;
        final int items1 = quick ? 400 : 2_000;
        final int items20 = quick ? 40 : 160;
        final int ops = quick ? 100 : 400;
        final StarFunction<Integer> increment = a -> (Integer)a[0] + 1;
        final double clusterMap20;
        try (ClusterPool pool = ctx.pool(4))
        {
            pool.apply(increment, 0); // warm: classes travel once
            extras.put("cluster_apply_median_ms", medianMs(calls, i -> pool.apply(increment, i)));
            extras.put("cluster_map_1ms_chunk1_items_s", itemsPerSecond(items1, WORK_1MS, 1, pool::map));
            extras.put("cluster_map_1ms_default_items_s", itemsPerSecond(items1, WORK_1MS, 0, pool::map));
            clusterMap20 = itemsPerSecond(items20, WORK_20MS, 1, pool::map);
            extras.put("cluster_map_20ms_chunk1_items_s", clusterMap20);
            extras.put("cluster_map_20ms_default_items_s", itemsPerSecond(items20, WORK_20MS, 0, pool::map));
        }
        final ClusterLock lock = ctx.lock();
        extras.put("cluster_lock_pairs_s", ops / seconds(() ->
        {
            for (int i = 0; i < ops; i++)
            {
                lock.acquire();
                lock.release();
            }
        }));
        final ClusterRLock rlock = ctx.rlock();
        extras.put("cluster_rlock_pairs_s", ops / seconds(() ->
        {
            for (int i = 0; i < ops; i++)
            {
                rlock.acquire();
                rlock.release();
            }
        }));
        final ClusterValue value = ctx.value('q', 0);
        extras.put("cluster_atomic_increments_s", ops / seconds(() ->
        {
            for (int i = 0; i < ops; i++)
            {
                value.incrementAndGet();
            }
        }));
        extras.put("cluster_locked_increments_s", ops / seconds(() ->
        {
            for (int i = 0; i < ops; i++)
            {
                value.getLock().acquire();
                try
                {
                    value.set(value.get() + 1);
                }
                finally
                {
                    value.getLock().release();
                }
            }
        }));
        lock.destroy();
        rlock.destroy();
        value.destroy();

        // the same work on this machine: Pool(2) worker JVMs, a Lock and a Value in /dev/shm
        try (Pool pool = new Pool(2))
        {
            pool.awaitWorkers(60, TimeUnit.SECONDS);
            pool.apply(increment, 0);
            extras.put("local_apply_median_ms", medianMs(calls, i -> pool.apply(increment, i)));
            extras.put("local_map_1ms_chunk1_items_s", itemsPerSecond(items1, WORK_1MS, 1, pool::map));
            extras.put("local_map_20ms_chunk1_items_s", itemsPerSecond(items20, WORK_20MS, 1, pool::map));
        }
        final Lock local = new Lock();
        final int localOps = 1_000_000;
        extras.put("local_lock_pairs_s", localOps / seconds(() ->
        {
            for (int i = 0; i < localOps; i++)
            {
                local.acquire();
                local.release();
            }
        }));
        final Value localValue = new Value('q', 0);
        extras.put("local_atomic_increments_s", localOps / seconds(() ->
        {
            for (int i = 0; i < localOps; i++)
            {
                localValue.incrementAndGet();
            }
        }));
        extras.put("nodes", 2);
        extras.put("pool_processes", 4);
        return clusterMap20;
    }

    private interface Call
    {
        void run(int i) throws Exception;
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private interface Mapper
    {
        List<Long> map(RemoteFunction<Integer, Long> f, List<Integer> items, int chunksize);
    }

    private static double medianMs(final int calls, final Call call) throws Exception
    {
        final double[] ms = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            final long start = System.nanoTime();
            call.run(i);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[calls / 2];
    }

    private static double itemsPerSecond(final int items, final int work, final int chunksize, final Mapper mapper)
        throws Exception
    {
        final List<Integer> inputs = new ArrayList<>();
        for (int i = 0; i < items; i++)
        {
            inputs.add(i);
        }
        final long start = System.nanoTime();
        final List<Long> results = mapper.map(i -> collatz(i, work), inputs, chunksize);
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (results.size() != items)
        {
            throw new IllegalStateException("map returned " + results.size() + " results for " + items + " items");
        }
        return items / seconds;
    }

    static long collatz(final int i, final int count)
    {
        long steps = 0;
        final long first = (long)i * count + 1;
        for (long n = first; n < first + count; n++)
        {
            for (long x = n; x != 1; x = (x & 1) == 0 ? x >>> 1 : 3 * x + 1)
            {
                steps++;
            }
        }
        return steps;
    }

    private static double seconds(final Body body) throws Exception
    {
        final long start = System.nanoTime();
        body.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static Process startNode(final int port) throws IOException
    {
        final Process node = new ProcessBuilder(NodeProcess.command(null, "512m", List.of("--port",
            Integer.toString(port), "--memory", "64", "--join-timeout", "60", "--parent-pid",
            Long.toString(ProcessHandle.current().pid())))).redirectErrorStream(true).start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        final String line = out.readLine();
        if (line == null || !line.startsWith(NodeMain.READY_PREFIX))
        {
            node.destroyForcibly();
            throw new IllegalStateException("a bench node did not start: " + line);
        }
        final Thread drain = new Thread(() ->
        {
            try
            {
                while (out.readLine() != null)
                {
                    // keep its pipe from filling
                }
            }
            catch (final IOException ex)
            {
                // it ended
            }
        }, "mp4j-bench-node-output");
        drain.setDaemon(true);
        drain.start();
        return node;
    }

    private static int freePortRange() throws IOException
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final int base = 30_000 + 10 * ThreadLocalRandom.current().nextInt(1_000);
            boolean free = true;
            for (int p = base; p < base + 10 && free; p++)
            {
                try (ServerSocket socket = new ServerSocket(p, 1, InetAddress.getLoopbackAddress()))
                {
                    socket.setReuseAddress(true);
                }
                catch (final IOException ex)
                {
                    free = false;
                }
            }
            if (free)
            {
                return base;
            }
        }
        throw new IOException("no free range of 10 ports on 127.0.0.1");
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
