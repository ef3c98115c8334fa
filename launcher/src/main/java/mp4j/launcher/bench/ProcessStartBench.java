package mp4j.launcher.bench;

import mp4j.process.Process;
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
        return "worker start to registered in the process table, median ms";
    }

    @Override
    public boolean higherIsBetter()
    {
        return false;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final double[] ms = startTimes(quick ? 5 : 20);
        return median(ms);
    }

    /** Milliseconds from start() to RUNNING for {@code n} sequential starts. */
    public static double[] startTimes(final int n) throws Exception
    {
        final Session session = Session.current();
        final ProcessTable table = session.processTable();
        final double[] ms = new double[n];
        for (int i = 0; i < n; i++)
        {
            final long t0 = System.nanoTime();
            final Process p = new Process(Nothing.class).daemon(true).start();
            while (table.state(p.slot()) == SessionLayout.SLOT_NEW && p.isAlive())
            {
                Thread.onSpinWait();
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
            p.join();
        }
        return ms;
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
