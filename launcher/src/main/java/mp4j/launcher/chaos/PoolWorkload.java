package mp4j.launcher.chaos;

import mp4j.pool.AsyncResult;
import mp4j.pool.IMapIterator;
import mp4j.pool.Pool;
import mp4j.pool.PoolConfig;
import mp4j.pool.WorkerDiedException;
import mp4j.pool.WorkerRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A pool doing map, imap, imapUnordered or a batch of applyAsync over items that each take a few milliseconds,
 * while a worker (or the parent) is killed. Every result returned must be right and appear once; a call may fail
 * only with WorkerDiedException (its retries ran out), never hang.
 */
public final class PoolWorkload implements ChaosWorkload
{
    @Override
    public String name()
    {
        return "pool";
    }

    @Override
    public ChaosResult run(final Random random, final ChaosEvents events) throws Exception
    {
        final int processes = 2 + random.nextInt(3);
        final int n = 50 + random.nextInt(200);
        final int chunksize = 1 + random.nextInt(5);
        final int sleepMs = 1 + random.nextInt(8);
        final int mode = random.nextInt(4);
        final List<Integer> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            items.add(i);
        }
        // terminate() at the end, not close(): after a failed call the workers' remaining tasks are not wanted
        final Pool pool = new Pool(new PoolConfig().processes(processes).name("chaos-pool"));
        try
        {
            if (!pool.awaitWorkers(60, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("the pool's workers did not start within 60 s");
            }
            for (final WorkerRecord worker : pool.workers())
            {
                events.worker(worker.pid(), "worker", true);
            }
            events.emit("ready");
            final List<Long> results = new ArrayList<>(n);
            long failedCleanly = 0;
            final String what;
            try
            {
                switch (mode)
                {
                    case 0 ->
                    {
                        what = "map chunksize " + chunksize;
                        results.addAll(pool.map((Integer x) -> work(x, sleepMs), items, chunksize));
                    }
                    case 1 ->
                    {
                        what = "imap chunksize " + chunksize;
                        final IMapIterator<Long> it = pool.imap((Integer x) -> work(x, sleepMs), items, chunksize);
                        it.forEachRemaining(results::add);
                    }
                    case 2 ->
                    {
                        what = "imapUnordered chunksize " + chunksize;
                        pool.imapUnordered((Integer x) -> work(x, sleepMs), items, chunksize)
                            .forEachRemaining(results::add);
                    }
                    default ->
                    {
                        what = "applyAsync x " + n;
                        final List<AsyncResult<Long>> calls = new ArrayList<>();
                        for (final Integer item : items)
                        {
                            calls.add(pool.applyAsync(a -> work((Integer)a[0], (Integer)a[1]), item, sleepMs));
                        }
                        for (final AsyncResult<Long> call : calls)
                        {
                            try
                            {
                                results.add(call.get(60, TimeUnit.SECONDS));
                            }
                            catch (final java.util.concurrent.ExecutionException ex)
                            {
                                if (!(ex.getCause() instanceof WorkerDiedException))
                                {
                                    throw ex;
                                }
                                failedCleanly++;
                            }
                        }
                    }
                }
            }
            catch (final WorkerDiedException ex)
            {
                return new ChaosResult(n, 0, 0, 0, 1, "call failed cleanly: " + ex.getMessage());
            }
            return check(items, results, mode != 0 && mode != 1, failedCleanly, what);
        }
        finally
        {
            pool.terminate();
        }
    }

    /** Results are item * 1000 + 7; in order unless {@code anyOrder}. */
    static ChaosResult check(final List<Integer> items, final List<Long> results, final boolean anyOrder,
        final long failedCleanly, final String what)
    {
        final Set<Long> seen = new HashSet<>();
        long wrong = 0;
        long duplicated = 0;
        for (int i = 0; i < results.size(); i++)
        {
            final long value = results.get(i);
            if (!seen.add(value))
            {
                duplicated++;
            }
            if (value % 1000 != 7 || value / 1000 >= items.size() || (!anyOrder && value != items.get(i) * 1000L + 7))
            {
                wrong++;
            }
        }
        final long lost = items.size() - failedCleanly - results.size() + duplicated;
        return new ChaosResult(items.size(), Math.max(0, lost), duplicated, wrong, failedCleanly,
            what + ": " + results.size() + " results");
    }

    static long work(final int x, final int sleepMs) throws InterruptedException
    {
        Thread.sleep(sleepMs);
        return x * 1000L + 7;
    }
}
