package mp4j.launcher.bench;

import mp4j.pool.Pool;
import mp4j.pool.StarFunction;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * apply_async_median_us and apply_async_p99_us: sequential {@code applyAsync(f, i).get()} round trips on a warm
 * Pool(4), in microseconds (both figures come from the same run; each key reports its own percentile).
 */
public final class ApplyAsyncBench implements BenchFigure
{
    private final boolean p99;
    private final Map<String, Object> extras = new java.util.LinkedHashMap<>();

    public ApplyAsyncBench(final boolean p99)
    {
        this.p99 = p99;
    }

    @Override
    public String key()
    {
        return p99 ? "apply_async_p99_us" : "apply_async_median_us";
    }

    @Override
    public String description()
    {
        return "apply_async round trip, " + (p99 ? "p99" : "median") + " us";
    }

    @Override
    public boolean higherIsBetter()
    {
        return false;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final int n = quick ? 2_000 : 20_000;
        final double[] us = new double[n];
        try (Pool pool = new Pool(4))
        {
            pool.awaitWorkers(60, TimeUnit.SECONDS);
            final StarFunction<Integer> increment = a -> (Integer)a[0] + 1; // one function, warmed and measured
            for (int i = 0; i < 20_000; i++) // as long in a quick run as in a full one: the JIT needs it
            {
                pool.applyAsync(increment, i).get(); // warm-up: JIT on both sides
            }
            for (int i = 0; i < n; i++)
            {
                final long start = System.nanoTime();
                pool.applyAsync(increment, i).get();
                us[i] = (System.nanoTime() - start) / 1e3;
            }
        }
        Arrays.sort(us);
        final double median = us[n / 2];
        final double p99value = us[(int)(n * 0.99)];
        extras.put(p99 ? "median_us" : "p99_us", p99 ? median : p99value);
        extras.put("calls", n);
        return p99 ? p99value : median;
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
