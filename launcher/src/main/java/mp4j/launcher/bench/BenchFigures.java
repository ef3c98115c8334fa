package mp4j.launcher.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every figure {@code launcher bench} can measure, by key. Add a figure here when its feature lands. */
public final class BenchFigures
{
    private BenchFigures()
    {
    }

    public static Map<String, BenchFigure> all()
    {
        final Map<String, BenchFigure> figures = new LinkedHashMap<>();
        for (final BenchFigure figure : List.<BenchFigure>of(
            new ProcessStartBench(), new ShmWriteBench(), new ShmReadBench(),
            new PoolMapBench(true), new PoolMapBench(false), new ApplyAsyncBench(false), new ApplyAsyncBench(true),
            new PoolReadyBench(), new ValueLockedBench(), new ArrayLockedBench(), new LockUncontendedBench(),
            new MessagingBench(MessagingBench.Kind.QUEUE), new MessagingBench(MessagingBench.Kind.PIPE),
            new ClusterBench(),
            new ManagerBench(ManagerBench.Kind.LOCKED), new ManagerBench(ManagerBench.Kind.MERGE),
            new ManagerBench(ManagerBench.Kind.GET_PUT), new ManagerBench(ManagerBench.Kind.GROW)))
        {
            figures.put(figure.key(), figure);
        }
        return figures;
    }
}
