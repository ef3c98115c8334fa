package mp4j.launcher.bench;

import mp4j.process.Process;
import mp4j.process.Reservoir;
import mp4j.process.Target;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;

import java.util.Arrays;

/**
 * process_start_ms: from {@code Process.start()} to the worker registered (RUNNING) in the process table, median
 * of 20 starts (Python's figure is start to first message, spawn and fork).
 */
public final class ProcessStartBench implements BenchFigure
{
    @Override
    public String key()
    {
        return "process_start_ms";
    }

    @Override
    public String description()
    {
        return "Process start to registered / first message";
    }

    @Override
    public String target()
    {
        return "<= 50 ms";
    }

    @Override
    public boolean perJdk()
    {
        return true;
    }

    @Override
    public boolean higherIsBetter()
    {
        return false;
    }

    private final java.util.Map<String, Object> extras = new java.util.LinkedHashMap<>();
    private static double lastCpuMillis = Double.NaN;

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final double[] ms = startTimes(quick ? 5 : 20);
        extras.put("p99_ms", percentile(ms, 0.99));
        extras.put("worker_cpu_ms", lastCpuMillis); // user + system time of a worker JVM to registered, median
        extras.put("four_at_once_ms", median(fourAtOnce(quick ? 2 : 5)));
        extras.put("reservoir_start_to_done_ms", median(withReservoir(quick ? 5 : 20)));
        return median(ms);
    }

    @Override
    public java.util.Map<String, Object> extras()
    {
        return extras;
    }

    /** Milliseconds until 4 workers started together are all registered, for {@code rounds} rounds. */
    static double[] fourAtOnce(final int rounds) throws Exception
    {
        final ProcessTable table = Session.current().processTable();
        final double[] ms = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            final long t0 = System.nanoTime();
            final Process[] processes = new Process[4];
            for (int i = 0; i < processes.length; i++)
            {
                processes[i] = new Process(Nothing.class).daemon(true).start();
            }
            for (final Process p : processes)
            {
                while (table.state(p.slot()) == SessionLayout.SLOT_NEW && p.isAlive())
                {
                    Thread.onSpinWait();
                }
            }
            ms[r] = (System.nanoTime() - t0) / 1e6;
            for (final Process p : processes)
            {
                p.join();
            }
        }
        return ms;
    }

    /**
     * With a warm reservoir (Python's forkserver idea): milliseconds from start() to the target done and its exit
     * recorded, the reserve JVM having been started beforehand.
     */
    static double[] withReservoir(final int n) throws Exception
    {
        final ProcessTable table = Session.current().processTable();
        final double[] ms = new double[n];
        Reservoir.prestart(1);
        try
        {
            for (int i = 0; i < n; i++)
            {
                awaitReserve(table);
                final long t0 = System.nanoTime();
                final Process p = new Process(Nothing.class).daemon(true).start();
                while (table.state(p.slot()) != SessionLayout.SLOT_EXITED && p.isAlive())
                {
                    Thread.onSpinWait();
                }
                ms[i] = (System.nanoTime() - t0) / 1e6;
                p.join();
            }
        }
        finally
        {
            Reservoir.prestart(0);
        }
        return ms;
    }

    private static void awaitReserve(final ProcessTable table) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            for (int slot = 1; slot < table.slotCount(); slot++)
            {
                if (table.state(slot) == SessionLayout.SLOT_RUNNING &&
                    Reservoir.ROLE.equals(table.role(slot)) && table.payloadLength(slot) == 0)
                {
                    return;
                }
            }
            Thread.sleep(1);
        }
    }

    static double percentile(final double[] values, final double fraction)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int)Math.ceil(fraction * sorted.length) - 1)];
    }

    /** Milliseconds from start() to RUNNING for {@code n} sequential starts. */
    public static double[] startTimes(final int n) throws Exception
    {
        final Session session = Session.current();
        final ProcessTable table = session.processTable();
        final double[] ms = new double[n];
        final double[] cpu = new double[n];
        for (int i = 0; i < n; i++)
        {
            final long t0 = System.nanoTime();
            final Process p = new Process(Nothing.class).daemon(true).start();
            while (table.state(p.slot()) == SessionLayout.SLOT_NEW && p.isAlive())
            {
                Thread.onSpinWait();
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = cpuMillis(p.pid());
            p.join();
        }
        lastCpuMillis = median(cpu);
        return ms;
    }

    /**
     * The CPU time (user + system, in clock ticks of /proc) a process has used so far, in ms: what a JVM's start
     * costs, which a busy machine stretches in wall time but hardly changes.
     */
    static double cpuMillis(final long pid)
    {
        try
        {
            final String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid),
                "stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[11] and [12] are utime and stime (fields 14 and 15 of proc(5)), in ticks of 10 ms
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            return Double.NaN;
        }
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A target that does nothing. */
    public static final class Nothing implements Target
    {
        @Override
        public void run(final Object... args)
        {
        }
    }
}
