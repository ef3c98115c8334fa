package mp4j.launcher.chaos;

import java.util.Random;

/**
 * One kind of work {@code scripts/chaos} runs and then breaks: it starts workers, reports their pids through
 * {@link ChaosEvents} (so the chaos script can kill them, or kill this parent), and checks its own results.
 */
public interface ChaosWorkload
{
    /** The name given to {@code launcher chaos-round --workload}. */
    String name();

    /**
     * Runs the work with sizes drawn from {@code random}; returns what it checked. Must return (or throw) in
     * bounded time whatever is killed: that is what the chaos run proves.
     */
    ChaosResult run(Random random, ChaosEvents events) throws Exception;
}
