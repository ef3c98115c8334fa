package mp4j.launcher.bench;

import mp4j.synchronize.AbstractLock;
import mp4j.synchronize.Lock;
import mp4j.synchronize.RLock;

import java.util.LinkedHashMap;
import java.util.Map;

/** lock_uncontended_pairs_s: one thread of one process acquires and releases a free Lock, pairs/s. */
public final class LockUncontendedBench implements BenchFigure
{
    private final Map<String, Object> extras = new LinkedHashMap<>();

    @Override
    public String key()
    {
        return "lock_uncontended_pairs_s";
    }

    @Override
    public String description()
    {
        return "Lock acquire+release, one process";
    }

    @Override
    public String target()
    {
        return ">= 50 M/s";
    }

    @Override
    public boolean higherIsBetter()
    {
        return true;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final long nanos = quick ? 100_000_000L : 400_000_000L;
        final double lock = best(new Lock(), nanos);
        extras.put("rlock_pairs_s", best(new RLock(), nanos));
        extras.put("rlock_reentrant_pairs_s", reentrant(new RLock(), nanos));
        return lock;
    }

    private static double best(final AbstractLock lock, final long nanos)
    {
        double best = 0;
        for (int run = 0; run < 5; run++)
        {
            best = Math.max(best, pairsPerSecond(lock, nanos));
        }
        return best;
    }

    private static double reentrant(final RLock lock, final long nanos)
    {
        lock.acquire();
        try
        {
            return best(lock, nanos);
        }
        finally
        {
            lock.release();
        }
    }

    static double pairsPerSecond(final AbstractLock lock, final long nanos)
    {
        final long start = System.nanoTime();
        final long end = start + nanos;
        long pairs = 0;
        long now;
        do
        {
            for (int i = 0; i < 10_000; i++)
            {
                lock.acquire();
                lock.release();
            }
            pairs += 10_000;
            now = System.nanoTime();
        }
        while (now < end);
        return pairs / ((now - start) / 1e9);
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
