package mp4j.launcher;

import mp4j.pool.Pool;
import mp4j.pool.WorkerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lecture's {@code mt_thrd_queue.py}: a CPU-bound job (counting primes in ranges) done by one thread, or by N
 * threads taking ranges from a {@link BlockingQueue}. In CPython the GIL lets one thread run bytecode at a time,
 * so N threads take as long as one; the JVM has no GIL, so the threads run on all cores and the time falls.
 * <p>
 * Each mode is a {@link Runner}; a mode is one enum constant and one case in {@link #runner}.
 */
@Command(name = "thread-queue",
    header = "mt_thrd_queue.py: CPU-bound jobs on 1 thread, N threads or N processes.", mixinStandardHelpOptions = true,
    description = {
        "mt_thrd_queue.py: count primes in JOBS ranges with one thread (single), or with N threads fed from a",
        "BlockingQueue (multi, which also times single for the speed-up), or with a Pool of N worker JVMs",
        "(process). Java has no GIL: threads use all cores."})
final class ThreadQueueCommand implements Callable<Integer>
{
    enum Mode
    {
        SINGLE, MULTI, PROCESS
    }

    /** One range [from, to) to count primes in. */
    record Job(int index, long from, long to)
    {
    }

    /** What a mode produced: the total, the time, and how many jobs each worker did. */
    record Outcome(long primes, double seconds, List<Integer> jobsPerWorker)
    {
    }

    /** Runs all jobs with {@code workers} workers. */
    interface Runner
    {
        Outcome run(List<Job> jobs, int workers) throws Exception;
    }

    static final int MAX_THREADS = 256;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODE", description = "single, multi or process.")
    String modeName;

    @Parameters(index = "1", paramLabel = "N", arity = "0..1",
        description = "Worker threads for multi (default: the number of cores).")
    Integer workers;

    @Option(names = "--jobs", defaultValue = "32", paramLabel = "J",
        description = "Ranges to count primes in (default ${DEFAULT-VALUE}).")
    int jobCount;

    @Option(names = "--job-size", defaultValue = "150000", paramLabel = "S",
        description = "Numbers per range (default ${DEFAULT-VALUE}).")
    long jobSize;

    @Option(names = "--json", description = "One JSON object with the figures.")
    boolean json;

    @Override
    public Integer call() throws Exception
    {
        final Mode mode = parseMode();
        final int cores = Runtime.getRuntime().availableProcessors();
        final int n = workers == null ? cores : workers;
        if (n < 1 || n > MAX_THREADS)
        {
            throw usage("N must be between 1 and " + MAX_THREADS + ", got " + n);
        }
        if (jobCount < 1 || jobCount > 100_000)
        {
            throw usage("--jobs must be between 1 and 100000, got " + jobCount);
        }
        if (jobSize < 1 || jobSize > 100_000_000L || jobSize * jobCount > 4_000_000_000L)
        {
            throw usage("--job-size must be between 1 and 100000000, and jobs x size at most 4000000000, got " +
                jobSize + " x " + jobCount);
        }
        final List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < jobCount; i++)
        {
            jobs.add(new Job(i, i * jobSize, (i + 1) * jobSize));
        }
        final Outcome single = runner(Mode.SINGLE).run(jobs, 1);
        final Outcome outcome = mode == Mode.SINGLE ? single : runner(mode).run(jobs, n);
        final boolean agree = outcome.primes() == single.primes();
        final int used = mode == Mode.SINGLE ? 1 : n;
        if (json)
        {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("mode", mode.name().toLowerCase(Locale.ROOT));
            out.put("workers", used);
            out.put("cores", cores);
            out.put("jobs", jobCount);
            out.put("jobSize", jobSize);
            out.put("primes", outcome.primes());
            out.put("seconds", outcome.seconds());
            out.put("singleSeconds", single.seconds());
            out.put("speedup", single.seconds() / outcome.seconds());
            out.put("jobsPerWorker", outcome.jobsPerWorker());
            out.put("agree", agree);
            spec.commandLine().getOut().println(Json.write(out));
            return agree ? 0 : 1;
        }
        final var out = spec.commandLine().getOut();
        out.printf("counting primes below %,d in %d ranges of %,d (%d cores here)%n", jobSize * jobCount, jobCount,
            jobSize, cores);
        out.printf("  single thread:        %,d primes in %.3f s%n", single.primes(), single.seconds());
        if (mode != Mode.SINGLE)
        {
            final String unit = mode == Mode.PROCESS ? (n == 1 ? "process" : "processes") : label(n);
            out.printf("  %-3d %-17s %,d primes in %.3f s, jobs taken per worker %s%n", n,
                unit + ":", outcome.primes(), outcome.seconds(), outcome.jobsPerWorker());
            out.printf("  speed-up: %.2fx with %d %s on %d cores%s%n", single.seconds() / outcome.seconds(), n,
                unit, cores, agree ? "" : "; RESULTS DIFFER");
            if (mode == Mode.PROCESS)
            {
                out.printf("A Pool of worker JVMs (Python's answer to the GIL) scales too; in Java threads already " +
                    "do, so processes are for isolation, not for speed.%n");
            }
            else
            {
                out.printf("Python's GIL runs one thread's bytecode at a time, so there the threads take as long as " +
                    "one (or longer); the JVM has no GIL, so %s run in parallel, up to the number of cores.%n",
                    label(n));
            }
        }
        else
        {
            out.printf("Try 'thread-queue multi %d': the JVM has no GIL, so threads fed from a BlockingQueue share " +
                "this work across all %d cores.%n", cores, cores);
        }
        out.flush();
        return agree ? 0 : 1;
    }

    private static String label(final int n)
    {
        return n == 1 ? "thread" : "threads";
    }

    private Mode parseMode()
    {
        for (final Mode mode : Mode.values())
        {
            if (mode.name().equalsIgnoreCase(modeName))
            {
                return mode;
            }
        }
        final List<String> names = new ArrayList<>();
        for (final Mode mode : Mode.values())
        {
            names.add(mode.name().toLowerCase(Locale.ROOT));
        }
        throw usage("MODE must be one of " + String.join(", ", names) + ", got '" + modeName + "'");
    }

    private CommandLine.ParameterException usage(final String message)
    {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static Runner runner(final Mode mode)
    {
        return switch (mode)
        {
            case SINGLE -> ThreadQueueCommand::runSingle;
            case MULTI -> ThreadQueueCommand::runThreads;
            case PROCESS -> ThreadQueueCommand::runPool;
        };
    }

    /**
     * The same jobs on a Pool of worker JVMs (the lecture's answer to the GIL). The clock starts once the workers
     * are up: a JVM start is paid once per pool, not per job (and is reported by {@code launcher bench}).
     */
    private static Outcome runPool(final List<Job> jobs, final int workers) throws Exception
    {
        final List<long[]> ranges = new ArrayList<>();
        for (final Job job : jobs)
        {
            ranges.add(new long[]{job.from(), job.to()});
        }
        try (Pool pool = new Pool(workers))
        {
            pool.awaitWorkers(60, java.util.concurrent.TimeUnit.SECONDS);
            final long began = System.nanoTime();
            final List<Long> counts = pool.map((long[] range) -> countPrimes(range[0], range[1]), ranges, 1);
            final double seconds = (System.nanoTime() - began) / 1e9;
            long primes = 0;
            for (final long count : counts)
            {
                primes += count;
            }
            final List<Integer> perWorker = new ArrayList<>();
            for (final WorkerRecord worker : pool.workers())
            {
                perWorker.add((int)worker.tasks());
            }
            return new Outcome(primes, seconds, perWorker);
        }
    }

    private static Outcome runSingle(final List<Job> jobs, final int workers)
    {
        final long began = System.nanoTime();
        long primes = 0;
        for (final Job job : jobs)
        {
            primes += countPrimes(job.from(), job.to());
        }
        return new Outcome(primes, (System.nanoTime() - began) / 1e9, List.of(jobs.size()));
    }

    /** As the Python file: the queue holds the jobs, then one stop marker per worker. */
    private static Outcome runThreads(final List<Job> jobs, final int workers) throws Exception
    {
        final Job stop = new Job(-1, 0, 0);
        final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
        final long[] primes = new long[workers];
        final int[] taken = new int[workers];
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[workers];
        final long began = System.nanoTime();
        for (int i = 0; i < workers; i++)
        {
            final int id = i;
            threads[i] = new Thread(() ->
            {
                try
                {
                    for (Job job = queue.take(); job != stop; job = queue.take())
                    {
                        primes[id] += countPrimes(job.from(), job.to());
                        taken[id]++;
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }, "worker-" + i);
            threads[i].start();
        }
        queue.addAll(jobs);
        for (int i = 0; i < workers; i++)
        {
            queue.add(stop);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final double seconds = (System.nanoTime() - began) / 1e9;
        if (failure.get() != null)
        {
            throw new IllegalStateException("a worker thread failed: " + failure.get(), failure.get());
        }
        long total = 0;
        final List<Integer> perWorker = new ArrayList<>();
        for (int i = 0; i < workers; i++)
        {
            total += primes[i];
            perWorker.add(taken[i]);
        }
        return new Outcome(total, seconds, perWorker);
    }

    /** The CPU-bound job: primes in [from, to) by trial division, deliberately plain as the Python one. */
    static long countPrimes(final long from, final long to)
    {
        long count = 0;
        for (long n = Math.max(2, from); n < to; n++)
        {
            boolean prime = true;
            for (long d = 2; d * d <= n; d++)
            {
                if (n % d == 0)
                {
                    prime = false;
                    break;
                }
            }
            count += prime ? 1 : 0;
        }
        return count;
    }
}
