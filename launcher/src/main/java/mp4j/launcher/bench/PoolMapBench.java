package mp4j.launcher.bench;

import mp4j.pool.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * pool_map_chunk1_items_s and pool_map_default_items_s: {@code Pool(4).map(x -> x * x, range(n))} with chunksize 1
 * (200k items; a round trip per item, so this measures the rings and the handler) or Python's default chunksize
 * (2M items), items per second, workers started and warm before the clock starts.
 */
public final class PoolMapBench implements BenchFigure
{
    private final boolean chunkOne;
    private final Map<String, Object> extras = new java.util.LinkedHashMap<>();

    public PoolMapBench(final boolean chunkOne)
    {
        this.chunkOne = chunkOne;
    }

    @Override
    public String key()
    {
        return chunkOne ? "pool_map_chunk1_items_s" : "pool_map_default_items_s";
    }

    @Override
    public String description()
    {
        return "Pool(4).map(x*x) items/s, chunksize " + (chunkOne ? "1" : "Python's default");
    }

    @Override
    public boolean higherIsBetter()
    {
        return true;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final int n = chunkOne ? (quick ? 20_000 : 200_000) : (quick ? 200_000 : 2_000_000);
        final List<Integer> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            items.add(i);
        }
        final int chunksize = chunkOne ? 1 : 0;
        try (Pool pool = new Pool(4))
        {
            pool.awaitWorkers(60, TimeUnit.SECONDS);
            pool.map((Integer x) -> x * x, items.subList(0, Math.min(n, 20_000)), chunksize); // warm-up: JIT
            final long start = System.nanoTime();
            final List<Integer> squares = pool.map((Integer x) -> x * x, items, chunksize);
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (squares.size() != n || squares.get(n - 1) != (n - 1) * (n - 1))
            {
                throw new IllegalStateException("wrong results from the pool");
            }
            extras.put("items", n);
            extras.put("seconds", seconds);
            return n / seconds;
        }
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
