package mp4j.launcher.bench;

import mp4j.pool.Pool;
import mp4j.process.Reservoir;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * pool4_ready_ms: {@code new Pool(4)} to its first result ({@code apply} of a trivial function), cold worker
 * JVMs, median of several pools. Python's figure is the same with the spawn start method (fork as an extra).
 */
public final class PoolReadyBench implements BenchFigure
{
    private final Map<String, Object> extras = new java.util.LinkedHashMap<>();
    private final Map<String, Double> peerValues = new java.util.LinkedHashMap<>();

    @Override
    public String key()
    {
        return "pool4_ready_ms";
    }

    @Override
    public String description()
    {
        return "Pool(4) ready + first result, cold";
    }

    @Override
    public String target()
    {
        return "<= 150 ms";
    }

    @Override
    public List<String> peers()
    {
        return List.of(PYTHON, PP4J);
    }

    @Override
    public Map<String, Double> peerValues()
    {
        return peerValues;
    }

    @Override
    public boolean perJdk()
    {
        return true;
    }

    @Override
    public boolean higherIsBetter()
    {
        return false;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final int rounds = quick ? 3 : 10;
        final double[] ms = new double[rounds];
        final double[] allReady = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            final long start = System.nanoTime();
            final Pool pool = new Pool(4);
            try
            {
                pool.apply(a -> 1);
                ms[r] = (System.nanoTime() - start) / 1e6;
                pool.awaitWorkers(60, java.util.concurrent.TimeUnit.SECONDS);
                allReady[r] = (System.nanoTime() - start) / 1e6;
            }
            finally
            {
                pool.terminate(); // as Python's "with Pool(4)", which the Python side of this figure uses
            }
        }
        Arrays.sort(ms);
        Arrays.sort(allReady);
        extras.put("all_four_ready_ms", allReady[rounds / 2]);
        extras.put("with_reservoir_ms", withReservoir(rounds));
        if (!Boolean.parseBoolean(System.getProperty("mp4j.bench.peers", "true")))
        {
            return ms[rounds / 2];
        }
        final double[] pp4j = new double[quick ? 1 : 3];
        for (int r = 0; r < pp4j.length; r++)
        {
            pp4j[r] = Pp4jPeer.readyMillis();
        }
        peerValues.put(PP4J, Stats.median(pp4j));
        return ms[rounds / 2];
    }

    /**
     * The same with a warm reservoir (Python's forkserver idea): 4 worker JVMs pre-started and waiting, which the
     * pool adopts instead of starting its own.
     */
    private static double withReservoir(final int rounds) throws Exception
    {
        final double[] ms = new double[rounds];
        try
        {
            for (int r = 0; r < rounds; r++)
            {
                Reservoir.prestart(4);
                final long deadline = System.nanoTime() + 60_000_000_000L;
                while (Reservoir.ready() < 4 && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
                Thread.sleep(300); // let the reserves finish booting, as they would have long before a real pool
                final long start = System.nanoTime();
                final Pool pool = new Pool(4);
                try
                {
                    pool.apply(a -> 1);
                    ms[r] = (System.nanoTime() - start) / 1e6;
                    Reservoir.prestart(0); // no refill while this pool terminates
                }
                finally
                {
                    pool.terminate();
                }
            }
        }
        finally
        {
            Reservoir.prestart(0);
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
