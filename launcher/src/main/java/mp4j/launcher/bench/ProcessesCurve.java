package mp4j.launcher.bench;

import mp4j.launcher.LockRace;
import mp4j.pool.Pool;
import mp4j.pool.RemoteFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * curve_processes: against the number of processes (1 to 16), Value('i') += 1 under its lock (total ops/s, exact)
 * and Pool(n).map over items of 100 us of CPU work each (items/s, default chunksize). Past the machine's cores the
 * processes take turns: the lock's throughput falls as holders are descheduled holding it, and the map's stays at
 * what the cores can run.
 */
public final class ProcessesCurve implements BenchCurve
{
    static final long WORK_NANOS = 100_000;

    @Override
    public String key()
    {
        return "curve_processes";
    }

    @Override
    public String title()
    {
        return "Locked Value updates and Pool map against processes";
    }

    @Override
    public String xLabel()
    {
        return "processes";
    }

    @Override
    public List<String> yLabels()
    {
        return List.of("Value += 1 under its lock (ops/s)", "Pool(n).map, 100 us items (items/s)");
    }

    @Override
    public List<Double> xs(final boolean quick)
    {
        return quick ? List.of(1.0, 2.0, 4.0) : List.of(1.0, 2.0, 4.0, 8.0, 16.0);
    }

    @Override
    public String note()
    {
        return "This machine has " + Runtime.getRuntime().availableProcessors() + " cores: past that many " +
            "processes, more processes cannot add throughput, only take turns on the cores.";
    }

    @Override
    public List<Panel> measure(final boolean quick) throws Exception
    {
        final List<Double> xs = xs(quick);
        final Panel value = Panel.of();
        final Panel map = Panel.of();
        final double[] valueOps = value.series("mp4j", xs.size());
        final double[] mapItems = map.series("mp4j", xs.size());
        for (int i = 0; i < xs.size(); i++)
        {
            final int procs = xs.get(i).intValue();
            final LockRace.Result race = LockRace.value(procs, 0, quick ? 300_000_000L : 1_000_000_000L,
                LockRace.LockKind.OWN);
            if (race.lost() != 0)
            {
                throw new IllegalStateException("lost " + race.lost() + " updates under the lock");
            }
            valueOps[i] = race.opsPerSecond();
            mapItems[i] = mapItemsPerSecond(procs, WORK_NANOS, quick ? 2_000 : 10_000, 0);
        }
        return List.of(value, map);
    }

    /** A function that works (spins) for {@code nanos} of its thread's CPU time and returns its item. */
    static RemoteFunction<Integer, Integer> work(final long nanos)
    {
        return x -> Work.spin(nanos, x);
    }

    /**
     * Work that costs CPU time, not wall time: a loop that spins until its thread has used {@code nanos} of CPU.
     * Spinning on the clock instead would count the time a process waits for a core as work done, and four
     * processes on two cores would seem to beat two cores.
     */
    static final class Work
    {
        private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

        private Work()
        {
        }

        static int spin(final long nanos, final int x)
        {
            final long end = THREADS.getCurrentThreadCpuTime() + nanos;
            long sink = x;
            while (THREADS.getCurrentThreadCpuTime() < end)
            {
                sink = sink * 31 + 7;
            }
            return sink == 42 ? x + 1 : x; // never 42 in practice: keeps the loop from being optimized away
        }
    }

    /** Pool(procs).map of {@code work} over {@code n} items: items/s, the median of 3 maps after one of warm-up. */
    static double mapItemsPerSecond(final int procs, final long workNanos, final int n, final int chunksize)
        throws Exception
    {
        final List<Integer> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            items.add(i);
        }
        final RemoteFunction<Integer, Integer> f = work(workNanos);
        try (Pool pool = new Pool(procs))
        {
            pool.awaitWorkers(120, TimeUnit.SECONDS);
            pool.map(f, items, chunksize);
            final double[] seconds = new double[3];
            for (int round = 0; round < seconds.length; round++)
            {
                final long start = System.nanoTime();
                if (pool.map(f, items, chunksize).size() != n)
                {
                    throw new IllegalStateException("the pool lost items");
                }
                seconds[round] = (System.nanoTime() - start) / 1e9;
            }
            return n / Stats.median(seconds);
        }
    }
}
