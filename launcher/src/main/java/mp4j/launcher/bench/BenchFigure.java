package mp4j.launcher.bench;

import java.util.List;
import java.util.Map;

/**
 * One figure of {@code scripts/bench}, declared once, here: its key, what it measures, its unit, which way is
 * better, its target and its peers. {@code launcher bench --list --json} hands these to {@code scripts/bench}, which
 * keeps no list of its own; the Python side of a figure is the function of the same key in
 * {@code scripts/python/figures.py}. Keys are stable: results are compared across commits by key.
 * <p>
 * Adding a figure is one class implementing this, one line in {@link BenchFigures}, and (if Python has a twin) one
 * function in {@code figures.py}.
 */
public interface BenchFigure
{
    /** The name of mp4j's own value among a sibling's values. */
    String MP4J = "mp4j";
    /** The peer measured by {@code scripts/python/figures.py KEY} in its own process. */
    String PYTHON = "python";
    /** PP4J's JavaProcessPoolExecutor: worker JVMs fed over stdin/stdout. */
    String PP4J = "pp4j";
    /** Agrona's ring buffers between two processes over a mapped file in /dev/shm, with no mp4j on top. */
    String RAW_RING = "agrona_ring";
    /** The same work on threads of one JVM (a ForkJoinPool, or plain threads and a lock): what isolation costs. */
    String THREADS = "threads";

    /** The stable JSON key, e.g. {@code process_start_ms}. */
    String key();

    /** What is measured, in one line, as the table shows it. */
    String description();

    /** True when a larger value is better (throughput), false when smaller is (latency, time). */
    boolean higherIsBetter();

    /** Runs the workload once and returns the figure; {@code quick} asks for a short run. */
    double measure(boolean quick) throws Exception;

    /** Secondary figures of the last {@link #measure} (a p99, a variant), printed as "extra" beside the value. */
    default Map<String, Object> extras()
    {
        return Map.of();
    }

    /** The unit of {@link #measure}'s value; by default read off the key's suffix ({@code _ms}, {@code _ops_s}). */
    default String unit()
    {
        return Units.ofKey(key());
    }

    /** The target as the table prints it ({@code <= 50 ms}, {@code >= 10x python}); empty when there is none. */
    default String target()
    {
        return "";
    }

    /**
     * Who the figure is shown beside, in the same run: {@link #PYTHON} (measured by scripts/bench through
     * figures.py) and Java peers, which {@link #measure} measures too and {@link #peerValues} returns.
     */
    default List<String> peers()
    {
        return List.of(PYTHON);
    }

    /** The Java peers' values from the last {@link #measure}, by peer name, in this figure's unit. */
    default Map<String, Double> peerValues()
    {
        return Map.of();
    }

    /**
     * Figures of other keys that the last {@link #measure} measured too (a p99 beside its median), by key: their
     * value under {@link #MP4J} and their Java peers' values under the peers' names. scripts/bench does not measure
     * them again in the same round.
     */
    default Map<String, Map<String, Double>> siblings()
    {
        return Map.of();
    }

    /** True when the figure depends on the JDK (a JVM's start): scripts/bench measures it on every JDK it has. */
    default boolean perJdk()
    {
        return false;
    }
}
