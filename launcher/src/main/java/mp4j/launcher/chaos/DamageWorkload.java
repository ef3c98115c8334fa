package mp4j.launcher.chaos;

import mp4j.pool.AsyncResult;
import mp4j.pool.Pool;
import mp4j.pool.PoolClosedException;
import mp4j.pool.PoolConfig;
import mp4j.pool.PoolLayout;
import mp4j.pool.WorkerDiedException;
import mp4j.pool.WorkerRecord;
import mp4j.session.Session;
import mp4j.session.SessionFileException;
import mp4j.session.SessionLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A pool at work while scripts/chaos damages its session file from outside, as a full disk or a clumsy user would:
 * truncates it, or writes random bytes over its header or over the trailer (the positions) of one of the pool's
 * rings. The job may fail, but only with a clear error that names the damage (or a worker's death), never hang;
 * results returned must be right; every process must end and the file must go with the parent, damaged or not.
 * The event "damage" tells the script where the rings' trailers are.
 */
public final class DamageWorkload implements ChaosWorkload
{
    @Override
    public String name()
    {
        return "damage";
    }

    @Override
    public ChaosResult run(final Random random, final ChaosEvents events) throws Exception
    {
        final int processes = 2 + random.nextInt(2);
        final int n = 100 + random.nextInt(150);
        final int sleepMs = 2 + random.nextInt(6);
        final boolean map = random.nextBoolean();
        final List<Integer> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            items.add(i);
        }
        try (Pool pool = new Pool(new PoolConfig().processes(processes).name("chaos-damage")))
        {
            if (!pool.awaitWorkers(60, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("the pool's workers did not start within 60 s");
            }
            for (final WorkerRecord worker : pool.workers())
            {
                events.worker(worker.pid(), "worker", true);
            }
            events.emit("damage", "file", Session.current().file().toString(), "fileLength",
                Session.current().fileLength(), "headerLength", SessionLayout.HEADER_LENGTH, "trailers",
                trailers(pool, processes), "trailerLength",
                org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH);
            events.emit("ready");
            final List<Long> results = new ArrayList<>(n);
            long failedCleanly = 0;
            String what = map ? "map" : "applyAsync x " + n;
            try
            {
                if (map)
                {
                    results.addAll(pool.map((Integer x) -> PoolWorkload.work(x, sleepMs), items, 1));
                }
                else
                {
                    final List<AsyncResult<Long>> calls = new ArrayList<>();
                    for (final Integer item : items)
                    {
                        calls.add(pool.applyAsync(a -> PoolWorkload.work((Integer)a[0], (Integer)a[1]), item,
                            sleepMs));
                    }
                    for (final AsyncResult<Long> call : calls)
                    {
                        try
                        {
                            results.add(call.get(60, TimeUnit.SECONDS));
                        }
                        catch (final java.util.concurrent.ExecutionException ex)
                        {
                            // a Future's get: what the call met is the cause
                            if (!(ex.getCause() instanceof RuntimeException cause) || !isClear(cause))
                            {
                                throw ex;
                            }
                            failedCleanly++;
                            what = "applyAsync x " + n + " (" + cause.getMessage() + ")";
                        }
                        catch (final RuntimeException ex)
                        {
                            if (!isClear(ex))
                            {
                                throw ex;
                            }
                            failedCleanly++;
                            what = "applyAsync x " + n + " (" + ex.getMessage() + ")";
                        }
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                if (!isClear(ex))
                {
                    throw ex;
                }
                return new ChaosResult(n, 0, 0, 0, 1, "call failed cleanly: " + ex.getMessage());
            }
            return PoolWorkload.check(items, results, !map, failedCleanly, what);
        }
    }

    /**
     * A clear error: one that names the damaged session file (from the call that met the damage, or from a pool
     * that broke of it before the call was made), or the death of a worker (one may die of it).
     */
    private static boolean isClear(final RuntimeException ex)
    {
        return ex instanceof WorkerDiedException || (ex.getMessage() != null &&
            ex.getMessage().contains("session file " + Session.current().file()) &&
            (ex instanceof SessionFileException || ex instanceof PoolClosedException));
    }

    /** Absolute offsets of every task and result ring trailer of the pool, in the session file. */
    private static List<Long> trailers(final Pool pool, final int processes)
    {
        final int capacity = PoolLayout.DEFAULT_RING_CAPACITY;
        final List<Long> trailers = new ArrayList<>();
        for (int w = 0; w < processes; w++)
        {
            final long rings = PoolLayout.position((int)pool.entry().offset(), capacity, w) +
                PoolLayout.POSITION_HEADER_LENGTH;
            trailers.add(rings + capacity);
            trailers.add(rings + PoolLayout.ringLength(capacity) + capacity);
        }
        return trailers;
    }
}
