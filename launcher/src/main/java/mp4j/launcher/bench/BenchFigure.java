package mp4j.launcher.bench;

/**
 * One headline figure of {@code scripts/bench}, measured on the mp4j side (the Python side is
 * {@code scripts/python/bench_<key>.py}). Keys are stable: results are compared across commits by key.
 */
public interface BenchFigure
{
    /** The stable JSON key, e.g. {@code process_start_ms}. */
    String key();

    /** What is measured, in one line, with its unit. */
    String description();

    /** True when a larger value is better (throughput), false when smaller is (latency, time). */
    boolean higherIsBetter();

    /** Runs the workload once and returns the figure; {@code quick} asks for a short run. */
    double measure(boolean quick) throws Exception;

    /** Secondary figures of the last {@link #measure} (a p99, a variant), printed as "extra" beside the value. */
    default java.util.Map<String, Object> extras()
    {
        return java.util.Map.of();
    }
}
