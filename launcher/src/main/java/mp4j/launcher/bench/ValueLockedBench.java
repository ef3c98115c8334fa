package mp4j.launcher.bench;

import mp4j.launcher.LockRace;

import java.util.LinkedHashMap;
import java.util.Map;

/** value_locked_ops_s: 4 processes add 1 to a Value('i') under its own lock for 2 s (0.5 s quick), ops/s. */
public final class ValueLockedBench implements BenchFigure
{
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private final Map<String, Double> peerValues = new LinkedHashMap<>();

    @Override
    public String key()
    {
        return "value_locked_ops_s";
    }

    @Override
    public String description()
    {
        return "Value('i') += 1 under its lock, 4 processes";
    }

    @Override
    public String target()
    {
        return ">= 10x python";
    }

    @Override
    public java.util.List<String> peers()
    {
        return java.util.List.of(PYTHON, THREADS);
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
        final LockRace.Result result = LockRace.value(4, 0, quick ? 500_000_000L : 2_000_000_000L,
            LockRace.LockKind.OWN);
        if (result.lost() != 0)
        {
            throw new IllegalStateException("lost " + result.lost() + " updates under the lock");
        }
        putExtras(extras, result);
        peerValues.put(THREADS, ThreadsPeer.lockedIncrementsPerSecond(quick ? 500_000_000L : 2_000_000_000L));
        return result.opsPerSecond();
    }

    static void putExtras(final Map<String, Object> extras, final LockRace.Result result)
    {
        extras.clear();
        extras.put("fairness_min_over_max", result.fairness());
        extras.put("worker_cpu_s", result.cpuSeconds());
        extras.put("cpu_share_of_4x_wall", result.cpuSeconds() / (result.procs() * result.seconds()));
        extras.put("cores", Runtime.getRuntime().availableProcessors());
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
