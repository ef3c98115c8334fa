package mp4j.launcher.bench;

import mp4j.pool.AsyncResult;
import mp4j.pool.Pool;
import mp4j.pool.RemoteFunction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * worker_killed_s: a Pool(4) maps 4 tasks of 2 s each; one worker JVM is killed (SIGKILL) 0.5 s in; seconds until
 * the map returns its complete, right result. PP4J and Python do the same (their outcome may be a failure or a
 * hang, reported as text after a {@value #TIMEOUT_MS} ms timeout, and no number).
 */
public final class WorkerKilledBench implements BenchFigure
{
    static final long TASK_MS = 2_000;
    static final long KILL_AFTER_MS = 500;
    static final long TIMEOUT_MS = 10_000;

    private final Map<String, Object> extras = new LinkedHashMap<>();
    private final Map<String, Double> peerValues = new LinkedHashMap<>();

    @Override
    public String key()
    {
        return "worker_killed_s";
    }

    @Override
    public String description()
    {
        return "map of 4 x 2 s tasks on 4 workers, one killed 0.5 s in: time to the full result";
    }

    @Override
    public String target()
    {
        return "finishes, right";
    }

    @Override
    public boolean higherIsBetter()
    {
        return false;
    }

    @Override
    public List<String> peers()
    {
        return List.of(PYTHON, PP4J);
    }

    @Override
    public Map<String, Double> peerValues()
    {
        return peerValues;
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final double seconds;
        try (Pool pool = new Pool(4))
        {
            pool.awaitWorkers(60, TimeUnit.SECONDS);
            final RemoteFunction<Integer, Integer> slow = x ->
            {
                try
                {
                    Thread.sleep(TASK_MS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                return x * x;
            };
            final long start = System.nanoTime();
            final AsyncResult<List<Integer>> result = pool.mapAsync(slow, List.of(1, 2, 3, 4), 1, null, null);
            Thread.sleep(KILL_AFTER_MS);
            ProcessHandle.of(pool.workers().get(0).pid()).ifPresent(ProcessHandle::destroyForcibly);
            final Pp4jPeer.KilledOutcome outcome = Pp4jPeer.KilledOutcome.collect(List.of(result), start, TIMEOUT_MS);
            final boolean right = outcome.finished() == 1 && result.get().equals(List.of(1, 4, 9, 16));
            seconds = right ? outcome.seconds() : Double.NaN;
            extras.put("outcome", right ? String.format("finished 4 of 4 in %.1f s, results right", seconds) :
                outcome.text(TIMEOUT_MS));
        }
        final Pp4jPeer.KilledOutcome pp4j = Pp4jPeer.killedMidJob(TASK_MS, KILL_AFTER_MS, TIMEOUT_MS);
        extras.put("pp4j_outcome", pp4j.text(TIMEOUT_MS));
        peerValues.put(PP4J, pp4j.hung() == 0 && pp4j.failed() == 0 ? pp4j.seconds() : Double.NaN);
        return seconds;
    }
}
