package examples;

import mp4j.pool.PoolExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** java.util.concurrent code, unchanged but for where its ExecutorService comes from: tasks run in worker JVMs. */
public final class Executor
{
    private Executor()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final PoolExecutor pool = new PoolExecutor(2);
        final ExecutorService executor = pool;
        final List<Future<Long>> cubes = new ArrayList<>();
        for (long n = 1; n <= 4; n++)
        {
            final long x = n;
            cubes.add(pool.submit(() -> x * x * x)); // PoolExecutor.submit takes a serializable lambda
        }
        long sum = 0;
        for (final Future<Long> cube : cubes)
        {
            sum += cube.get();
        }
        final Future<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
        System.out.println("cubes sum " + sum + ", ran in another process: " +
            (pid.get() != ProcessHandle.current().pid()));
        executor.shutdown();
        System.out.println("terminated " + executor.awaitTermination(30, TimeUnit.SECONDS));
    }
}
