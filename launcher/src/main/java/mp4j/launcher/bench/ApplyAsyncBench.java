package mp4j.launcher.bench;

import mp4j.pool.Pool;
import mp4j.pool.StarFunction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * apply_async_median_us and apply_async_p99_us: sequential {@code applyAsync(f, i).get()} round trips on a warm
 * Pool(4), in microseconds; both come from one run, each key reporting its own percentile and the other as its
 * sibling. With {@code spinners} busy processes beside it (apply_async_1spin_*, apply_async_2spin_*), the same on a
 * machine whose cores are taken: what a user's busy machine feels. Without spinners, PP4J's submit round trip and a
 * ForkJoinPool(4)'s in this JVM are its peers.
 */
public final class ApplyAsyncBench implements BenchFigure
{
    private final boolean p99;
    private final int spinners;
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private final Map<String, Double> peerValues = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> siblings = new LinkedHashMap<>();

    public ApplyAsyncBench(final boolean p99, final int spinners)
    {
        this.p99 = p99;
        this.spinners = spinners;
    }

    static String key(final boolean p99, final int spinners)
    {
        return "apply_async_" + (spinners == 0 ? "" : spinners + "spin_") + (p99 ? "p99_us" : "median_us");
    }

    @Override
    public String key()
    {
        return key(p99, spinners);
    }

    @Override
    public String description()
    {
        return "apply_async round trip, " + (p99 ? "p99" : "median") +
            (spinners == 0 ? "" : ", " + spinners + " spinning process" + (spinners == 1 ? "" : "es") + " beside");
    }

    @Override
    public String target()
    {
        if (spinners == 0)
        {
            return p99 ? "<= 100 us; < python" : "<= 15 us";
        }
        return spinners == 2 ? (p99 ? "<= 300 us; < python" : "<= 30 us") : (p99 ? "< python" : "");
    }

    @Override
    public boolean higherIsBetter()
    {
        return false;
    }

    @Override
    public List<String> peers()
    {
        return spinners == 0 ? List.of(PYTHON, PP4J, THREADS) : List.of(PYTHON);
    }

    @Override
    public Map<String, Double> peerValues()
    {
        return peerValues;
    }

    @Override
    public Map<String, Map<String, Double>> siblings()
    {
        return siblings;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final int n = quick ? 2_000 : 20_000;
        final double[] us = new double[n];
        final Spinners busy = new Spinners(spinners);
        try (Pool pool = new Pool(4))
        {
            pool.awaitWorkers(60, TimeUnit.SECONDS);
            final StarFunction<Integer> increment = a -> (Integer)a[0] + 1; // one function, warmed and measured
            for (int i = 0; i < 20_000; i++) // as long in a quick run as in a full one: the JIT needs it
            {
                pool.applyAsync(increment, i).get(); // warm-up: JIT on both sides
            }
            final long[] gcBefore = gc();
            final long jitBefore = jitMillis();
            for (int i = 0; i < n; i++)
            {
                final long start = System.nanoTime();
                pool.applyAsync(increment, i).get();
                us[i] = (System.nanoTime() - start) / 1e3;
            }
            final long[] gcAfter = gc();
            extras.put("gc_pauses_while_measuring", gcAfter[0] - gcBefore[0]);
            extras.put("gc_ms_while_measuring", gcAfter[1] - gcBefore[1]);
            extras.put("jit_ms_while_measuring", jitMillis() - jitBefore);
        }
        finally
        {
            busy.close();
        }
        final double median = Stats.median(us);
        final double p99value = Stats.percentile(us, 0.99);
        extras.put(p99 ? "median_us" : "p99_us", p99 ? median : p99value);
        extras.put("p999_us", Stats.percentile(us, 0.999));
        extras.put("max_us", Stats.percentile(us, 1.0));
        extras.put("calls", n);
        final Map<String, Double> sibling = new LinkedHashMap<>();
        sibling.put(MP4J, p99 ? median : p99value);
        if (spinners == 0 && Boolean.parseBoolean(System.getProperty("mp4j.bench.peers", "true")))
        {
            final double[] threads = ThreadsPeer.roundTripsMicros(20_000, n);
            final double[] pp4j;
            try (Pp4jPeer peer = new Pp4jPeer(4))
            {
                pp4j = peer.roundTripsMicros(quick ? 500 : 2_000, quick ? 500 : 5_000);
            }
            peerValues.put(PP4J, p99 ? Stats.percentile(pp4j, 0.99) : Stats.median(pp4j));
            peerValues.put(THREADS, p99 ? Stats.percentile(threads, 0.99) : Stats.median(threads));
            sibling.put(PP4J, p99 ? Stats.median(pp4j) : Stats.percentile(pp4j, 0.99));
            sibling.put(THREADS, p99 ? Stats.median(threads) : Stats.percentile(threads, 0.99));
        }
        siblings.put(key(!p99, spinners), sibling);
        return p99 ? p99value : median;
    }

    /** Collections and their milliseconds so far in this JVM, all collectors. */
    private static long[] gc()
    {
        long count = 0;
        long millis = 0;
        for (final java.lang.management.GarbageCollectorMXBean bean :
            java.lang.management.ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, bean.getCollectionCount());
            millis += Math.max(0, bean.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Milliseconds this JVM's JIT compilers have worked so far. */
    private static long jitMillis()
    {
        final java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
