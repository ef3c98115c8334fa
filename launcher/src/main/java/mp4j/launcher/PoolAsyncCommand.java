package mp4j.launcher;

import mp4j.pool.AsyncResult;
import mp4j.pool.Pool;
import mp4j.pool.PoolConfig;
import mp4j.session.Printable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The lecture's {@code mp_pool_async.py}: {@code apply_async} and {@code map_async} with callbacks. The caller
 * goes on with its own work while the tasks run, and the callbacks report results in the order they finish, not
 * the order they were given.
 */
@Command(name = "pool-async",
    header = "mp_pool_async.py: apply_async/map_async callbacks, results out of order.", mixinStandardHelpOptions = true,
    description = {
        "mp_pool_async.py: apply_async and map_async with callbacks; results arrive out of order while the",
        "caller keeps working."})
final class PoolAsyncCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--procs", defaultValue = "4", paramLabel = "N", description = "Worker processes (default ${DEFAULT-VALUE}).")
    int procs;

    @Option(names = "--tasks", defaultValue = "8", paramLabel = "T",
        description = "apply_async calls, each sleeping a random 50..500 ms (default ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "S", description = "Seed of the random durations.")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    /** What one apply_async call reported through its callback. */
    private record Arrival(int task, int durationMs, long pid, String thread, long atMs)
    {
    }

    @Override
    public Integer call() throws Exception
    {
        if (procs < 1 || procs > 64)
        {
            throw new ParameterException(spec.commandLine(), "--procs must be between 1 and 64, got " + procs);
        }
        if (tasks < 1 || tasks > 10_000)
        {
            throw new ParameterException(spec.commandLine(), "--tasks must be between 1 and 10000, got " + tasks);
        }
        final Random random = new Random(seed);
        final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        final List<Integer> ticks = new ArrayList<>();
        final List<Integer> mapped;
        final long start;
        try (Pool pool = new Pool(new PoolConfig().processes(procs).name("pool-async-demo")))
        {
            pool.awaitWorkers(60, java.util.concurrent.TimeUnit.SECONDS); // times below are the tasks', not JVM starts
            // ...nor each fresh JVM reading its first lambda (tens of ms): every worker reads one first
            pool.map((Integer x) -> x, range(procs * 4), 1);
            start = System.nanoTime();
            final List<AsyncResult<long[]>> results = new ArrayList<>();
            for (int task = 0; task < tasks; task++)
            {
                final int durationMs = 50 + random.nextInt(451);
                final int id = task;
                results.add(pool.applyAsync(args ->
                {
                    Thread.sleep((Integer)args[0]);
                    return new long[]{ProcessHandle.current().pid()};
                }, new Object[]{durationMs}, value ->
                {
                    final Arrival arrival = new Arrival(id, durationMs, value[0], Thread.currentThread().getName(),
                        (System.nanoTime() - start) / 1_000_000);
                    arrivals.add(arrival);
                    if (!json)
                    {
                        System.out.printf("  callback: task %d done after %3d ms of work, in worker pid %d " +
                            "(callback on thread %s, t=%d ms)%n", id, durationMs, value[0],
                            Printable.escape(arrival.thread()), arrival.atMs());
                    }
                }, error -> System.out.println("  error_callback: task " + id + " failed: " +
                    Printable.escapeKeepingLines(String.valueOf(error)))));
                if (!json)
                {
                    System.out.printf("main: apply_async(task %d, sleeps %d ms) returned at once%n", id, durationMs);
                }
            }
            int tick = 0;
            while (!results.stream().allMatch(AsyncResult::ready))
            {
                ticks.add(arrivals.size());
                if (!json)
                {
                    System.out.printf("main: doing other work, tick %d (%d of %d results in)%n", tick, arrivals.size(),
                        tasks);
                }
                tick++;
                Thread.sleep(100);
            }
            for (final AsyncResult<long[]> result : results)
            {
                result.get();
            }
            final AsyncResult<List<Integer>> squares = pool.mapAsync((Integer x) -> x * x, range(10), 0,
                list -> { }, null);
            mapped = squares.get();
            if (!json)
            {
                System.out.println("main: map_async(square, range(10)).get() = " + mapped);
            }
        }
        final List<Integer> order = new ArrayList<>();
        arrivals.forEach(arrival -> order.add(arrival.task()));
        final boolean outOfOrder = !order.equals(range(tasks));
        if (json)
        {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("procs", procs);
            out.put("tasks", tasks);
            out.put("arrivalOrder", order);
            out.put("outOfOrder", outOfOrder);
            out.put("ticksWhileWaiting", ticks.size());
            out.put("callbackThreads", arrivals.stream().map(Arrival::thread).distinct().toList());
            out.put("mapAsync", mapped);
            out.put("ok", order.size() == tasks && mapped.equals(squares(10)));
            System.out.println(Json.write(out));
        }
        else
        {
            System.out.println("submitted in order " + range(tasks) + ",");
            System.out.println("finished  in order " + order + (outOfOrder ?
                ": the order they finished in, not the order they were given" : ""));
            System.out.println("main did " + ticks.size() + " ticks of its own work while the pool worked");
        }
        return order.size() == tasks && mapped.equals(squares(10)) ? 0 : 1;
    }

    private static List<Integer> range(final int n)
    {
        final List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            list.add(i);
        }
        return list;
    }

    private static List<Integer> squares(final int n)
    {
        final List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            list.add(i * i);
        }
        return list;
    }
}
