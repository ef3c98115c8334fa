package mp4j.launcher.bench;

import java.util.List;

/**
 * curve_work_per_item: Pool(4).map items/s against the work each item does (1 us to 10 ms of CPU each), with
 * chunksize 1 and the default chunksize, beside the ideal (every core busy with items, nothing else) and a
 * ForkJoinPool(4) in this JVM; Python's Pool(4) at the same points. A pool pays off from where its series rises
 * above one core running the items with no pool (the baseline); below it, moving an item costs more than its work.
 */
public final class WorkPerItemCurve implements BenchCurve
{
    @Override
    public String key()
    {
        return "curve_work_per_item";
    }

    @Override
    public String title()
    {
        return "Pool(4).map against work per item";
    }

    /** One core running the items back to back in the caller, no pool: what a pool must beat to be worth it. */
    static final String ONE_CORE = "one core, no pool";

    @Override
    public String baseline()
    {
        return ONE_CORE;
    }

    @Override
    public String xLabel()
    {
        return "work per item (us)";
    }

    @Override
    public List<String> yLabels()
    {
        return List.of("items/s");
    }

    @Override
    public List<Double> xs(final boolean quick)
    {
        return List.of(1.0, 10.0, 100.0, 1_000.0, 10_000.0);
    }

    @Override
    public String note()
    {
        return "Ideal: " + Runtime.getRuntime().availableProcessors() + " cores each running items back to back. " +
            "Each point maps enough items for about 0.4 s of work (fewer with --quick). An item's work is CPU time " +
            "of its thread, read from the kernel (a read costs 1-2 us here on both sides), so the 1 us point " +
            "costs a few us.";
    }

    /** Items for a point: about {@code cpuSeconds} of work over the machine's cores, 40 .. 100,000. */
    static int items(final double workMicros, final boolean quick)
    {
        final double cpuSeconds = quick ? 0.1 : 0.4;
        final int cores = Runtime.getRuntime().availableProcessors();
        return (int)Math.max(40, Math.min(100_000, cpuSeconds * cores / (workMicros / 1e6)));
    }

    @Override
    public List<Panel> measure(final boolean quick) throws Exception
    {
        final List<Double> xs = xs(quick);
        final Panel panel = Panel.of();
        final double[] chunkOne = panel.series("mp4j chunksize=1", xs.size());
        final double[] chunkDefault = panel.series("mp4j default chunksize", xs.size());
        final double[] threads = panel.series("ForkJoinPool(4), default chunks", xs.size());
        final double[] ideal = panel.series("ideal", xs.size());
        final double[] oneCore = panel.series(ONE_CORE, xs.size());
        final int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < xs.size(); i++)
        {
            final double micros = xs.get(i);
            final long nanos = (long)(micros * 1_000);
            final int n = items(micros, quick);
            chunkOne[i] = ProcessesCurve.mapItemsPerSecond(4, nanos, n, 1);
            chunkDefault[i] = ProcessesCurve.mapItemsPerSecond(4, nanos, n, 0);
            threads[i] = ThreadsPeer.mapItemsPerSecond(n, PoolMapBench.pythonChunksize(n, 4),
                x -> ProcessesCurve.Work.spin(nanos, x));
            ideal[i] = cores / (micros / 1e6);
            oneCore[i] = 1 / (micros / 1e6);
        }
        return List.of(panel);
    }
}
