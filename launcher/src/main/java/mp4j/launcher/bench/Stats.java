package mp4j.launcher.bench;

import java.util.Arrays;

/** Medians and percentiles of measured samples. */
final class Stats
{
    private Stats()
    {
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The nearest-rank percentile, as Python's twins compute it. */
    static double percentile(final double[] values, final double fraction)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int)Math.ceil(fraction * sorted.length) - 1))];
    }
}
