package mp4j.launcher.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a cost grows: one plot of {@code scripts/bench} ({@code docs/bench-KEY.svg}), one or more panels of series of
 * (x, y) points, all measured in one run. Declared here as {@link BenchFigure}s are; the Python series of a curve
 * come from the function of the same key in {@code scripts/python/figures.py}, measured at the same x.
 */
public interface BenchCurve
{
    /** The stable key; the plot is {@code docs/bench-KEY.svg}. */
    String key();

    /** The plot's title. */
    String title();

    /** The x axis, with its unit. */
    String xLabel();

    /** The panels' y axes, with their units, in the order {@link #measure} returns the panels. */
    List<String> yLabels();

    /** The x values measured, which the Python side measures too. */
    List<Double> xs(boolean quick);

    /** Measures every series at {@link #xs}; one panel per {@link #yLabels} entry. NaN: not measured. */
    List<Panel> measure(boolean quick) throws Exception;

    /** What a reader should know to read the plot (cores, what a point is): one or two sentences. */
    default String note()
    {
        return "";
    }

    /**
     * The series the others are read against, if any (one core doing the work with no pool): scripts/bench says, per
     * series, from which x on it reaches it, which answers "from how much work does it pay off?".
     */
    default String baseline()
    {
        return "";
    }

    /** One panel's series, by name, each with one y per x. */
    record Panel(Map<String, double[]> series)
    {
        public static Panel of()
        {
            return new Panel(new LinkedHashMap<>());
        }

        public double[] series(final String name, final int points)
        {
            return series.computeIfAbsent(name, n ->
            {
                final double[] ys = new double[points];
                java.util.Arrays.fill(ys, Double.NaN);
                return ys;
            });
        }
    }
}
