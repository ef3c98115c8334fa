package mp4j.cluster;

import mp4j.pool.ProcessPool;

import java.util.ArrayList;
import java.util.List;

/**
 * A client program that ClusterFaultTest kills with kill -9 in the middle of its work: it joins the cluster, holds
 * a Lock, sets a Value, fills a Queue, then maps a slow function whose every call counts itself in a Value.
 * Arguments: discovery, name prefix, items.
 */
public final class DriverMain
{
    private DriverMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String prefix = args[1];
        final int items = Integer.parseInt(args[2]);
        try (ClusterContext ctx = ClusterContext.connect(ClusterConfig.discovery(args[0])))
        {
            ctx.lock(prefix + "-lock").acquire();
            ctx.value(prefix + "-value", 'q', 0).set(77);
            final ClusterQueue queue = ctx.queue(prefix + "-queue", 0);
            for (int i = 0; i < 20; i++)
            {
                queue.put(i);
            }
            final ClusterValue started = ctx.value(prefix + "-started", 'q', 0);
            final List<Integer> inputs = new ArrayList<>();
            for (int i = 0; i < items; i++)
            {
                inputs.add(i);
            }
            System.out.println("mapping");
            System.out.flush();
            try (ProcessPool pool = ctx.pool(6))
            {
                pool.map((Integer x) ->
                {
                    started.incrementAndGet();
                    Thread.sleep(200);
                    return x;
                }, inputs, 1);
            }
            System.out.println("done");
        }
    }
}
