package mp4j.launcher;

import mp4j.cluster.ClusterConfig;
import mp4j.cluster.ClusterContext;
import mp4j.cluster.ClusterLock;
import mp4j.cluster.ClusterPool;
import mp4j.cluster.ClusterValue;
import mp4j.synchronize.SharedLock;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code launcher lock-value --cluster}: {@code mp_lock_value.py} on a cluster: N tasks on the server nodes each
 * add 1 to one cluster Value M times, under the Value's own RLock, a separate Lock, or none (then updates are
 * lost, as on one machine). Prints the JSON of {@code lock-value}, plus the cluster and the nodes that ran tasks.
 */
final class ClusterLockValueDemo
{
    private ClusterLockValueDemo()
    {
    }

    static int run(final ClusterConfig config, final int procs, final long increments, final String lock,
        final boolean json)
    {
        final long[][] perTask;
        final long actual;
        final long start;
        final double seconds;
        try (ClusterContext ctx = ClusterContext.connect(config); ClusterPool pool = ctx.pool(procs))
        {
            final ClusterValue value = ctx.value('i', 0);
            final SharedLock guard = switch (lock)
            {
                case "value" -> value.getLock();
                case "separate" -> ctx.lock();
                default -> null;
            };
            final List<Integer> tasks = new ArrayList<>();
            for (int i = 0; i < procs; i++)
            {
                tasks.add(i);
            }
            if (!json)
            {
                System.out.printf("%d tasks on %d server node(s) x %,d increments of one cluster Value, %s%n", procs,
                    ctx.servers(), increments, lock.equals("value") ? "each under the Value's own lock (an RLock)" :
                        lock.equals("separate") ? "each under a separate Lock" : "with no lock (expect lost updates)");
                System.out.flush();
            }
            start = System.nanoTime();
            final List<long[]> results = pool.map((Integer task) ->
            {
                final long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                final long t0 = System.nanoTime();
                for (long i = 0; i < increments; i++)
                {
                    if (guard != null)
                    {
                        guard.acquire();
                    }
                    try
                    {
                        value.set(value.get() + 1);
                    }
                    finally
                    {
                        if (guard != null)
                        {
                            guard.release();
                        }
                    }
                }
                return new long[]{increments, System.nanoTime() - t0,
                    ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0, ProcessHandle.current().pid()};
            }, tasks, 1);
            seconds = (System.nanoTime() - start) / 1e9;
            perTask = results.toArray(new long[0][]);
            actual = value.get();
            value.destroy();
            if (guard instanceof ClusterLock separate)
            {
                separate.destroy();
            }
        }
        final long expected = procs * increments;
        final List<Long> nanos = new ArrayList<>();
        final List<Long> pids = new ArrayList<>();
        double cpu = 0;
        for (final long[] task : perTask)
        {
            nanos.add(task[1]);
            cpu += task[2] / 1e9;
            if (!pids.contains(task[3]))
            {
                pids.add(task[3]);
            }
        }
        if (json)
        {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("procs", procs);
            out.put("increments", increments);
            out.put("lock", lock);
            out.put("expected", expected);
            out.put("actual", actual);
            out.put("lost", expected - actual);
            out.put("exact", expected == actual);
            out.put("seconds", seconds);
            out.put("opsPerSecond", expected / seconds);
            out.put("cpuSeconds", cpu);
            out.put("nanosPerProcess", nanos);
            out.put("cluster", config.discoveryText());
            out.put("nodePids", pids);
            System.out.println(Json.write(out));
        }
        else
        {
            System.out.printf("expected %,d%n", expected);
            System.out.printf("actual   %,d   %s%n", actual, expected == actual ? "(exact)" :
                "(" + String.format("%,d", expected - actual) + " updates lost: read-modify-write without a lock races)");
            System.out.printf("time     %.3f s  (%.0f updates/s; node pids %s; a cluster round trip costs milliseconds)%n",
                seconds, expected / seconds, pids);
        }
        return 0;
    }
}
