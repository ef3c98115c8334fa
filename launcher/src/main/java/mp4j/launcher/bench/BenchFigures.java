package mp4j.launcher.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure and curve {@code launcher bench} can measure, by key, in the order scripts/bench shows them: the one
 * list of benchmarks. Add a figure here when its feature lands.
 */
public final class BenchFigures
{
    private BenchFigures()
    {
    }

    public static Map<String, BenchFigure> all()
    {
        final Map<String, BenchFigure> figures = new LinkedHashMap<>();
        for (final BenchFigure figure : List.<BenchFigure>of(
            new ValueLockedBench(), new ArrayLockedBench(), new LockUncontendedBench(),
            new PoolMapBench(true), new PoolMapBench(false),
            new ApplyAsyncBench(false, 0), new ApplyAsyncBench(true, 0),
            new ApplyAsyncBench(false, 1), new ApplyAsyncBench(true, 1),
            new ApplyAsyncBench(false, 2), new ApplyAsyncBench(true, 2),
            new PoolReadyBench(), new PoolIdleBench(), new ProcessStartBench(),
            new MessagingBench(MessagingBench.Kind.QUEUE), new MessagingBench(MessagingBench.Kind.PIPE),
            new ShmWriteBench(), new ShmReadBench(), new WorkerKilledBench(), new MemoryBench(false), new MemoryBench(true),
            new ManagerBench(ManagerBench.Kind.LOCKED), new ManagerBench(ManagerBench.Kind.MERGE),
            new ManagerBench(ManagerBench.Kind.GET_PUT), new ManagerBench(ManagerBench.Kind.GROW)))
        {
            figures.put(figure.key(), figure);
        }
        return figures;
    }

    /**
     * The cluster's figures, measured together by one run of {@link ClusterBench} ({@code launcher bench cluster})
     * and shown apart, in docs/benchmarks-cluster.md, each beside the same work done locally; its
     * {@link ClusterBench#PARTS} declare them.
     */
    public static ClusterBench cluster()
    {
        return new ClusterBench();
    }

    public static Map<String, BenchCurve> curves()
    {
        final Map<String, BenchCurve> curves = new LinkedHashMap<>();
        for (final BenchCurve curve : List.<BenchCurve>of(
            new MessageSizeCurve(), new ProcessesCurve(), new WorkPerItemCurve()))
        {
            curves.put(curve.key(), curve);
        }
        return curves;
    }
}
