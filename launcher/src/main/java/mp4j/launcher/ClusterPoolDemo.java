package mp4j.launcher;

import mp4j.cluster.ClusterConfig;
import mp4j.cluster.ClusterContext;
import mp4j.cluster.ClusterPool;
import mp4j.cluster.NodeWork;
import mp4j.process.CurrentProcess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code launcher pool --cluster}: the same demo as {@code pool}, with the Pool of a cluster context: the tasks run
 * on the cluster's server nodes instead of worker JVMs here. The same JSON, each worker entry a node (with its
 * {@code node} id and {@code host}), plus {@code cluster}, {@code servers} and {@code reruns} (chunks run again
 * because their node died: at-least-once).
 */
final class ClusterPoolDemo
{
    private ClusterPoolDemo()
    {
    }

    static int run(final ClusterConfig config, final int processes, final int tasks, final int chunksize,
        final int work, final boolean sequential, final boolean json)
    {
        final List<Integer> inputs = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++)
        {
            inputs.add(i);
        }
        final int perInput = work;
        final long readyStart = System.nanoTime();
        final List<Long> results;
        final List<NodeWork> nodes;
        final double readySeconds;
        final double mapSeconds;
        final long applied;
        final long appliedPid;
        final long reruns;
        final int servers;
        try (ClusterContext ctx = ClusterContext.connect(config); ClusterPool pool = ctx.pool(processes))
        {
            servers = ctx.servers();
            final long[] pidAndValue = pool.apply(args -> new long[]{ProcessHandle.current().pid(),
                PoolCommand.collatzSteps((Integer)args[0], (Integer)args[1])}, 10, perInput);
            readySeconds = (System.nanoTime() - readyStart) / 1e9;
            appliedPid = pidAndValue[0];
            applied = pidAndValue[1];
            if (!json)
            {
                System.out.printf("pool: %d at a time over %d server node(s) at %s, first result after %.0f ms " +
                    "(joining included); this process pid %d%n", processes, servers, config.discoveryText(),
                    readySeconds * 1000, CurrentProcess.pid());
                System.out.printf("pool.apply(f, (10,)) = %d, computed in node pid %d%n", applied, appliedPid);
            }
            final long mapStart = System.nanoTime();
            results = pool.map((Integer i) -> PoolCommand.collatzSteps(i, perInput), inputs, chunksize);
            mapSeconds = (System.nanoTime() - mapStart) / 1e9;
            nodes = pool.nodes();
            reruns = pool.reruns();
        }
        double sequentialSeconds = Double.NaN;
        boolean ok = results.size() == tasks && applied == PoolCommand.collatzSteps(10, perInput);
        if (sequential)
        {
            final long start = System.nanoTime();
            for (int i = 0; i < tasks && ok; i++)
            {
                ok = results.get(i) == PoolCommand.collatzSteps(i, perInput);
            }
            sequentialSeconds = (System.nanoTime() - start) / 1e9;
        }
        if (json)
        {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("procs", processes);
            out.put("tasks", tasks);
            final List<Object> list = new ArrayList<>();
            for (final NodeWork node : nodes)
            {
                final Map<String, Object> w = new LinkedHashMap<>();
                w.put("pid", node.pid());
                w.put("tasks", node.tasks());
                w.put("items", node.items());
                w.put("exitCode", null);
                w.put("node", node.node());
                w.put("host", node.host());
                list.add(w);
            }
            out.put("workers", list);
            out.put("ok", ok);
            out.put("seconds", mapSeconds);
            out.put("readySeconds", readySeconds);
            if (sequential)
            {
                out.put("sequentialSeconds", sequentialSeconds);
                out.put("speedup", sequentialSeconds / mapSeconds);
            }
            out.put("cluster", config.discoveryText());
            out.put("servers", servers);
            out.put("reruns", reruns);
            System.out.println(Json.write(out));
        }
        else
        {
            System.out.printf("pool.map(f, range(%d)) at most %d at a time, chunksize %s:%n", tasks, processes,
                chunksize > 0 ? chunksize : "Python's default");
            for (final NodeWork node : nodes)
            {
                System.out.printf("  node %s (%s, pid %-7d) ran %4d tasks (%d inputs)%n", node.node(), node.host(),
                    node.pid(), node.tasks(), node.items());
            }
            if (reruns > 0)
            {
                System.out.printf("  %d task(s) ran again on another node: their node left mid-task%n", reruns);
            }
            System.out.printf("pool.map:   %8.3f s%n", mapSeconds);
            if (sequential)
            {
                System.out.printf("sequential: %8.3f s in this process (pid %d): speed-up %.2fx%n", sequentialSeconds,
                    CurrentProcess.pid(), sequentialSeconds / mapSeconds);
            }
            System.out.println(ok ? "results: all " + tasks + " correct" : "results: WRONG");
        }
        return ok ? 0 : 1;
    }
}
