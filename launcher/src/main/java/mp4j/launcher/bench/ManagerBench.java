package mp4j.launcher.bench;

import mp4j.launcher.ManagerRace;
import mp4j.managers.Manager;
import mp4j.managers.SharedDict;
import mp4j.sharedmemory.SharedMemoryNames;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The manager's figures (Python's side: {@code scripts/python/manager_bench.py}):
 * <ul>
 * <li>{@code manager_locked_ops_s}: 4 processes, {@code with lock: d[k] = d.get(k, 0) + 1} (a manager Lock), ops/s;</li>
 * <li>{@code manager_merge_ops_s}: 4 processes, {@code d.merge(k, 1, Long::sum)}, atomic by itself, ops/s;</li>
 * <li>{@code manager_get_put_ops_s}: one process alternates {@code d.set(k, v)} and {@code d.get(k)}, calls/s
 *     (after {@link ManagerRace#WARM_UP} untimed pairs, as the races warm up);</li>
 * <li>{@code manager_grow_1M_s}: one process puts 1 M new keys into an empty dict, seconds (memory as extras).</li>
 * </ul>
 */
public final class ManagerBench implements BenchFigure
{
    /** Which figure. */
    public enum Kind
    {
        LOCKED("manager_locked_ops_s", "Manager dict, with lock: d[k] = d.get(k, 0) + 1, 4 processes", "ops/s",
            ">= 20x Python"),
        MERGE("manager_merge_ops_s", "Manager dict, d.merge(k, 1, sum) (Python: locked), 4 processes", "ops/s",
            ">= 20x Python"),
        GET_PUT("manager_get_put_ops_s", "Manager dict, d[k] = v and d.get(k), one process", "calls/s",
            ">= 20x Python"),
        GROW("manager_grow_1M_s", "Manager dict grown to 1 M keys, one put at a time", "s", "faster than Python");

        final String key;
        final String description;
        final String unit;
        final String target;

        Kind(final String key, final String description, final String unit, final String target)
        {
            this.key = key;
            this.description = description;
            this.unit = unit;
            this.target = target;
        }
    }

    private final Kind kind;
    private final Map<String, Object> extras = new LinkedHashMap<>();

    public ManagerBench(final Kind kind)
    {
        this.kind = kind;
    }

    @Override
    public String key()
    {
        return kind.key;
    }

    @Override
    public String description()
    {
        return kind.description;
    }

    @Override
    public boolean higherIsBetter()
    {
        return kind != Kind.GROW;
    }

    @Override
    public String unit()
    {
        return kind.unit;
    }

    @Override
    public String target()
    {
        return kind.target;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        extras.clear();
        final long seconds = quick ? 500_000_000L : 2_000_000_000L;
        return switch (kind)
        {
            case LOCKED, MERGE -> race(seconds);
            case GET_PUT -> getPut(seconds);
            case GROW -> grow(quick ? 100_000 : 1_000_000);
        };
    }

    private double race(final long nanos) throws InterruptedException
    {
        final ManagerRace.Result result = ManagerRace.run(4, 0, nanos,
            kind == Kind.LOCKED ? ManagerRace.Mode.LOCKED : ManagerRace.Mode.MERGE);
        if (!result.exact())
        {
            throw new IllegalStateException("counted " + result.actual() + " of " + result.expected() +
                " increments; manager check: " + result.check());
        }
        extras.put("fairness_min_over_max", result.fairness());
        extras.put("worker_cpu_s", result.cpuSeconds());
        extras.put("exact", true);
        return result.opsPerSecond();
    }

    private static double getPut(final long nanos)
    {
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Integer> d = manager.dict();
            final String[] keys = new String[100];
            for (int i = 0; i < keys.length; i++)
            {
                keys[i] = "k" + i;
                d.set(keys[i], 0);
            }
            for (int i = 0; i < ManagerRace.WARM_UP; i++) // compiled code is timed, as in the races
            {
                d.set(keys[i % 50], i);
                d.get(keys[i % 50]);
            }
            final long start = System.nanoTime();
            final long end = start + nanos;
            long calls = 0;
            long now;
            do
            {
                for (int i = 0; i < 50; i++)
                {
                    d.set(keys[i], i);
                    d.get(keys[i]);
                }
                calls += 100;
                now = System.nanoTime();
            }
            while (now < end);
            return calls / ((now - start) / 1e9);
        }
    }

    private double grow(final int count)
    {
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Integer> d = manager.dict();
            final long start = System.nanoTime();
            for (int i = 0; i < count; i++)
            {
                d.set("key" + i, i);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (d.size() != count)
            {
                throw new IllegalStateException("the dict holds " + d.size() + " keys, not " + count);
            }
            final long touched = touchedBytes(manager);
            extras.put("keys", count);
            extras.put("bytes_in_use_MiB", Math.round(manager.bytesInUse() / 1048576.0 * 10) / 10.0);
            extras.put("shm_touched_MiB", Math.round(touched / 1048576.0 * 10) / 10.0);
            extras.put("segments_MiB", manager.segmentBytes() >> 20);
            extras.put("bytes_per_key", touched / count);
            return seconds;
        }
    }

    /** Pages of the manager's blocks that hold something (du's allocated bytes): what the dict costs in memory. */
    private static long touchedBytes(final Manager manager)
    {
        final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("du", "-B1", "-c"));
        for (final String block : manager.blockNames())
        {
            command.add(SharedMemoryNames.directory().resolve(block).toString());
        }
        try
        {
            final java.lang.Process du = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(du.getInputStream().readAllBytes());
            du.waitFor();
            final String[] lines = out.strip().split("\n");
            return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]); // the "total" line
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }
}
