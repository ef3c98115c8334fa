package mp4j.launcher.bench;

import mp4j.pool.Pool;
import mp4j.pool.RemoteFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * pool_map_chunk1_items_s and pool_map_default_items_s: {@code Pool(4).map(x -> x * x, range(n))} with chunksize 1
 * (200k items; a round trip per item, so this measures the rings and the handler) or Python's default chunksize
 * (2M items), items per second: the median of 3 maps after 2 of warm-up (the workers' JIT), on both sides.
 */
public final class PoolMapBench implements BenchFigure
{
    /** Both sides (this and scripts/python/figures.py) warm up and measure alike. */
    static final int WARM_UP_ROUNDS = 2;
    static final int MEASURED_ROUNDS = 3;

    private final boolean chunkOne;
    private final Map<String, Object> extras = new java.util.LinkedHashMap<>();
    private final Map<String, Double> peerValues = new java.util.LinkedHashMap<>();

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
        return "Pool(4).map(x*x), " + (chunkOne ? "chunksize=1" : "default chunksize");
    }

    @Override
    public String target()
    {
        return chunkOne ? ">= 10x python" : ">= 2x python";
    }

    @Override
    public List<String> peers()
    {
        return chunkOne ? List.of(PYTHON, PP4J, THREADS) : List.of(PYTHON, THREADS);
    }

    @Override
    public Map<String, Double> peerValues()
    {
        return peerValues;
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
        final double[] runs = new double[MEASURED_ROUNDS];
        try (Pool pool = new Pool(4))
        {
            pool.awaitWorkers(60, TimeUnit.SECONDS);
            // Warm-up: the workers' JIT, as JMH would. A quick run measures fewer items but warms up as long as a
            // full one: a JVM measured before its compilers are done says nothing about mp4j.
            final RemoteFunction<Integer, Integer> square = x -> x * x; // one function, warmed and measured
            for (int warmed = 0; warmed < WARM_UP_ROUNDS * (chunkOne ? 200_000 : 2_000_000); warmed += n)
            {
                pool.map(square, items, chunksize);
            }
            for (int round = 0; round < MEASURED_ROUNDS; round++)
            {
                final long start = System.nanoTime();
                final List<Integer> squares = pool.map(square, items, chunksize);
                runs[round] = (System.nanoTime() - start) / 1e9;
                if (squares.size() != n || squares.get(n - 1) != (n - 1) * (n - 1))
                {
                    throw new IllegalStateException("wrong results from the pool");
                }
            }
        }
        java.util.Arrays.sort(runs);
        final double seconds = runs[MEASURED_ROUNDS / 2];
        extras.put("items", n);
        extras.put("seconds", seconds);
        peerValues.put(THREADS, ThreadsPeer.mapItemsPerSecond(n, chunkOne ? 1 : pythonChunksize(n, 4), x -> x * x));
        if (chunkOne)
        {
            // a tenth of the items: PP4J moves a few thousand tasks a second, and a rate is a rate
            try (Pp4jPeer peer = new Pp4jPeer(4))
            {
                peer.mapItemsPerSecond(n / 100); // warm-up
                peerValues.put(PP4J, peer.mapItemsPerSecond(n / 10));
                extras.put("pp4j_items", n / 10);
            }
        }
        return n / seconds;
    }

    /** Python's default chunksize for {@code n} items on {@code processes}: about four chunks per process. */
    static int pythonChunksize(final int n, final int processes)
    {
        final int chunks = processes * 4;
        return n / chunks + (n % chunks == 0 ? 0 : 1);
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
