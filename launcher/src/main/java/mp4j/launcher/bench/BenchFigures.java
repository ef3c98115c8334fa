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
            new PoolReadyBench(), new ProcessStartBench(),
            new MessagingBench(MessagingBench.Kind.QUEUE), new MessagingBench(MessagingBench.Kind.PIPE),
            new ShmWriteBench(), new ShmReadBench(), new WorkerKilledBench(), new MemoryBench(false), new MemoryBench(true)))
        {
            figures.put(figure.key(), figure);
        }
        return figures;
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
