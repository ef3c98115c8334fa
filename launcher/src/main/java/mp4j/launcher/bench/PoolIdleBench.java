package mp4j.launcher.bench;

import mp4j.pool.Pool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * pool4_idle_cpu_pct: what a program holding an idle {@code Pool(4)} costs the machine, the CPU time of the program
 * and its four workers over a quiet spell, in percent of one core. Python's workers block in a pipe read and cost
 * next to nothing; mp4j's wait on shared memory by parking, and every wake-up costs CPU, which users of a shared
 * machine see in {@code top} and which the pool's own busy workers lose on a small one.
 */
public final class PoolIdleBench implements BenchFigure
{
    private static final long QUIET_MS = 3_000;
    private final Map<String, Object> extras = new LinkedHashMap<>();

    @Override
    public String key()
    {
        return "pool4_idle_cpu_pct";
    }

    @Override
    public String description()
    {
        return "CPU of a program holding an idle Pool(4), itself and its workers, over " + QUIET_MS / 1000 +
            " s, % of one core";
    }

    @Override
    public String unit()
    {
        return "% of a core";
    }

    @Override
    public boolean higherIsBetter()
    {
        return false;
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final int rounds = quick ? 1 : 3;
        final double[] total = new double[rounds];
        final double[] workers = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            try (Pool pool = new Pool(4))
            {
                pool.map(x -> x, List.of(1, 2, 3, 4, 5, 6, 7, 8), 1);
                pool.awaitWorkers(60, TimeUnit.SECONDS);
                Thread.sleep(1_000); // past the start and its compilations: what an idle pool keeps costing
                final long[] pids = ProcessHandle.current().children()
                    .filter(child -> child.info().command().orElse("").endsWith("java"))
                    .mapToLong(ProcessHandle::pid).toArray();
                final long self = ProcessHandle.current().pid();
                final double selfBefore = cpuMillis(self);
                final double workersBefore = cpuMillis(pids);
                final long start = System.nanoTime();
                Thread.sleep(QUIET_MS);
                final double seconds = (System.nanoTime() - start) / 1e9;
                final double workersMs = cpuMillis(pids) - workersBefore;
                workers[r] = workersMs / seconds / 10;
                total[r] = (workersMs + cpuMillis(self) - selfBefore) / seconds / 10;
            }
        }
        extras.put("workers_pct", Stats.median(workers));
        return Stats.median(total);
    }

    private static double cpuMillis(final long... pids)
    {
        double sum = 0;
        for (final long pid : pids)
        {
            final double ms = ProcessStartBench.cpuMillis(pid);
            sum += Double.isNaN(ms) ? 0 : ms; // a process gone since: its time is no longer there to count
        }
        return sum;
    }
}
