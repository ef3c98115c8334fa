package mp4j.launcher.bench;

import mp4j.launcher.LockRace;

import java.util.LinkedHashMap;
import java.util.Map;

/** array_locked_ops_s: 4 processes add 1.0 to random elements of an Array('d', 1000) under its lock, ops/s. */
public final class ArrayLockedBench implements BenchFigure
{
    private final Map<String, Object> extras = new LinkedHashMap<>();

    @Override
    public String key()
    {
        return "array_locked_ops_s";
    }

    @Override
    public String description()
    {
        return "Array('d',1000) locked random updates, 4 processes";
    }

    @Override
    public String target()
    {
        return ">= 10x python";
    }

    @Override
    public boolean higherIsBetter()
    {
        return true;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final LockRace.Result result = LockRace.array(4, 1000, 0, quick ? 500_000_000L : 2_000_000_000L,
            LockRace.LockKind.OWN);
        if (result.lost() != 0)
        {
            throw new IllegalStateException("lost " + result.lost() + " updates under the lock");
        }
        ValueLockedBench.putExtras(extras, result);
        return result.opsPerSecond();
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
