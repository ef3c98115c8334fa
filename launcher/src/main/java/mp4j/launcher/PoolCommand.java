package mp4j.launcher;

import mp4j.pool.IMapIterator;
import mp4j.pool.Pool;
import mp4j.pool.PoolConfig;
import mp4j.pool.WorkerRecord;
import mp4j.process.CurrentProcess;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The lecture's {@code mp_pool.py}: a CPU-bound function mapped over many inputs by a pool of worker JVMs, then
 * the same work in one process, and {@code apply} for a single call.
 */
@Command(name = "pool",
    header = "mp_pool.py: Pool.map of a CPU-bound function, with the sequential time.", mixinStandardHelpOptions = true,
    description = {
        "mp_pool.py: Pool.map of a CPU-bound function over many inputs, then the same work sequentially.",
        "Prints each worker's pid and how many tasks it ran, the times and the speed-up.",
        "Kill a worker with kill -9 while it runs: the pool replaces it and the results stay right",
        "(scripts/kill-worker.sh shows it)."})
final class PoolCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--procs", paramLabel = "N",
        description = "Worker processes (default: the machine's processors, ${sys:mp4j.processors}).")
    Integer procs;

    @Option(names = "--tasks", defaultValue = "64", paramLabel = "T",
        description = "Inputs to map over (default ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--chunksize", defaultValue = "0", paramLabel = "C",
        description = "Inputs per task; 0 uses Python's rule: tasks / (procs * 4), rounded up (default).")
    int chunksize;

    @Option(names = "--work", defaultValue = "100000", paramLabel = "W",
        description = "Numbers whose Collatz steps each input sums: the CPU cost of one input " +
            "(default ${DEFAULT-VALUE}, about 20 ms).")
    int work;

    @Option(names = "--progress", description = "Show a progress bar while the pool works.")
    boolean progress;

    @Option(names = "--sequential", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Also do the work in this one process, for comparison (default: yes; --no-sequential: no).")
    boolean sequential;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--cluster", paramLabel = "HOST:PORT_RANGE[,...]",
        description = "Run the pool on an mp4j cluster ('launcher node') instead of worker JVMs here: --procs tasks " +
            "at a time over its server nodes; each worker entry is a node.")
    String cluster;

    static
    {
        System.setProperty("mp4j.processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Integer call()
    {
        final int processes = procs == null ? Runtime.getRuntime().availableProcessors() : procs;
        check("--procs", processes, 1, 64);
        check("--tasks", tasks, 0, 10_000_000);
        check("--chunksize", chunksize, 0, 10_000_000);
        check("--work", work, 1, 1_000_000_000);
        if (cluster != null)
        {
            return ClusterDemos.pool(spec, cluster, processes, tasks, chunksize, work, sequential, json);
        }
        final List<Integer> inputs = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++)
        {
            inputs.add(i);
        }
        final int perInput = work;
        final long readyStart = System.nanoTime();
        final List<Long> results;
        final List<WorkerRecord> workers;
        final double readySeconds;
        final double mapSeconds;
        final long applied;
        final long appliedPid;
        try (Pool pool = new Pool(new PoolConfig().processes(processes).name("pool-demo")))
        {
            final long[] pidAndValue = pool.apply(args -> new long[]{ProcessHandle.current().pid(),
                collatzSteps((Integer)args[0], (Integer)args[1])}, 10, perInput);
            readySeconds = (System.nanoTime() - readyStart) / 1e9;
            appliedPid = pidAndValue[0];
            applied = pidAndValue[1];
            if (!json)
            {
                System.out.printf("pool: %d worker JVMs started, first result after %.0f ms; parent pid %d%n",
                    processes,
                    readySeconds * 1000, CurrentProcess.pid());
                System.out.printf("pool.apply(f, (10,)) = %d, computed in worker pid %d%n", applied, appliedPid);
            }
            final long mapStart = System.nanoTime();
            results = progress ? withProgress(pool, inputs, perInput) :
                pool.map((Integer i) -> collatzSteps(i, perInput), inputs, chunksize);
            mapSeconds = (System.nanoTime() - mapStart) / 1e9;
            workers = pool.workers();
        }
        double sequentialSeconds = Double.NaN;
        boolean ok = true;
        if (sequential)
        {
            final long start = System.nanoTime();
            for (int i = 0; i < tasks; i++)
            {
                ok &= results.get(i) == collatzSteps(i, perInput);
            }
            sequentialSeconds = (System.nanoTime() - start) / 1e9;
        }
        ok &= results.size() == tasks && applied == collatzSteps(10, perInput);
        if (json)
        {
            printJson(processes, workers, ok, readySeconds, mapSeconds, sequentialSeconds);
        }
        else
        {
            printText(processes, workers, ok, mapSeconds, sequentialSeconds);
        }
        return ok ? 0 : 1;
    }

    private List<Long> withProgress(final Pool pool, final List<Integer> inputs, final int perInput)
    {
        final List<Long> results = new ArrayList<>(inputs.size());
        final int size = chunksize > 0 ? chunksize : 1;
        final IMapIterator<Long> it = pool.imap((Integer i) -> collatzSteps(i, perInput), inputs, size);
        try (ProgressBar bar = new ProgressBar(System.err, "pool.imap", inputs.size()))
        {
            while (it.hasNext())
            {
                results.add(it.next());
                bar.step(1);
            }
        }
        return results;
    }

    private void printText(final int processes, final List<WorkerRecord> workers, final boolean ok,
        final double mapSeconds, final double sequentialSeconds)
    {
        System.out.printf("pool.%s(f, range(%d)) with %d processes, chunksize %s:%n", progress ? "imap" : "map",
            tasks, processes, chunksize > 0 ? chunksize : progress ? "1 (imap's default)" : "Python's default");
        for (final WorkerRecord worker : workers)
        {
            System.out.printf("  worker pid %-7d ran %4d tasks (%d inputs)%s%n", worker.pid(), worker.tasks(),
                worker.items(), worker.exitCode() != null && worker.exitCode() < 0 ?
                    "  - killed by signal " + -worker.exitCode() + "; its tasks ran again elsewhere" : "");
        }
        System.out.printf("pool.%s:  %8.3f s%n", progress ? "imap" : "map ", mapSeconds);
        if (sequential)
        {
            System.out.printf("sequential: %8.3f s in one process (pid %d): speed-up %.2fx on %d processors%n",
                sequentialSeconds, CurrentProcess.pid(), sequentialSeconds / mapSeconds,
                Runtime.getRuntime().availableProcessors());
        }
        System.out.println(ok ? "results: all " + tasks + " correct" : "results: WRONG");
    }

    private void printJson(final int processes, final List<WorkerRecord> workers, final boolean ok,
        final double readySeconds, final double mapSeconds, final double sequentialSeconds)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("procs", processes);
        out.put("tasks", tasks);
        final List<Object> list = new ArrayList<>();
        for (final WorkerRecord worker : workers)
        {
            final Map<String, Object> w = new LinkedHashMap<>();
            w.put("pid", worker.pid());
            w.put("tasks", worker.tasks());
            w.put("items", worker.items());
            w.put("exitCode", worker.exitCode());
            list.add(w);
        }
        out.put("workers", list);
        out.put("ok", ok);
        out.put("seconds", mapSeconds);
        out.put("readySeconds", readySeconds);
        if (sequential)
        {
            out.put("sequentialSeconds", sequentialSeconds);
            out.put("speedup", sequentialSeconds / mapSeconds);
        }
        System.out.println(Json.write(out));
    }

    /** The CPU-bound function: total Collatz steps of the {@code count} numbers from {@code i * count + 1}. */
    static long collatzSteps(final int i, final int count)
    {
        long steps = 0;
        final long first = (long)i * count + 1;
        for (long n = first; n < first + count; n++)
        {
            long x = n;
            while (x != 1)
            {
                x = (x & 1) == 0 ? x >>> 1 : 3 * x + 1;
                steps++;
            }
        }
        return steps;
    }

    private void check(final String option, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new ParameterException(spec.commandLine(),
                option + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
