package mp4j.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;

/**
 * The lecture's {@code mt_thrd_local.py}: N threads write to the same {@link ThreadLocal} and to the same plain
 * field, then read both back after all have written. Each sees its own value in the ThreadLocal (Python's
 * {@code threading.local()}), while the plain field holds whichever write came last.
 */
@Command(name = "thread-local", mixinStandardHelpOptions = true,
    description = {
        "mt_thrd_local.py: N threads, each with its own data through one ThreadLocal.",
        "Every thread writes its own value, waits for all others to write theirs, then reads: the ThreadLocal",
        "gives each its own value back, the shared field gives all of them the last write."})
final class ThreadLocalCommand implements Callable<Integer>
{
    static final int MAX_THREADS = 1024;

    /** One per thread, as Python's {@code mydata = threading.local()}; the initial value is what main sees. */
    private static final ThreadLocal<String> MY_DATA = ThreadLocal.withInitial(() -> "(nothing: never set here)");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "N", defaultValue = "4", description = "Threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "One JSON object: what each thread saw.")
    boolean json;

    private volatile String shared;

    @Override
    public Integer call() throws Exception
    {
        if (threads < 1 || threads > MAX_THREADS)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "N must be between 1 and " + MAX_THREADS + ", got " + threads);
        }
        // all write before any reads: without it a thread could read the shared field before the others wrote
        final CyclicBarrier allWritten = new CyclicBarrier(threads);
        final String[] local = new String[threads];
        final String[] field = new String[threads];
        final List<Thread> started = new ArrayList<>();
        final Throwable[] failure = new Throwable[1];
        for (int i = 0; i < threads; i++)
        {
            final int id = i;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    MY_DATA.set("data of thread-" + id);
                    shared = "data of thread-" + id;
                    allWritten.await();
                    local[id] = MY_DATA.get();
                    field[id] = shared;
                }
                catch (final Exception ex)
                {
                    synchronized (failure)
                    {
                        failure[0] = ex;
                    }
                }
            }, "thread-" + id);
            thread.start();
            started.add(thread);
        }
        for (final Thread thread : started)
        {
            thread.join();
        }
        if (failure[0] != null)
        {
            throw new IllegalStateException("a demo thread failed: " + failure[0], failure[0]);
        }
        final String mainSees = MY_DATA.get();
        final String lastWrite = shared;
        if (json)
        {
            final List<Object> seen = new ArrayList<>();
            for (int i = 0; i < threads; i++)
            {
                final Map<String, Object> one = new LinkedHashMap<>();
                one.put("thread", "thread-" + i);
                one.put("threadLocal", local[i]);
                one.put("sharedField", field[i]);
                seen.add(one);
            }
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("threads", seen);
            out.put("mainThreadLocal", mainSees);
            out.put("sharedFieldLastWrite", lastWrite);
            spec.commandLine().getOut().println(Json.write(out));
            return 0;
        }
        final var out = spec.commandLine().getOut();
        out.printf("%d threads each set mydata (a ThreadLocal) and a shared field to their own value, then read both " +
            "after all had written:%n", threads);
        for (int i = 0; i < threads; i++)
        {
            out.printf("  %-10s mydata = %-22s shared field = %s%n", "thread-" + i, "'" + local[i] + "'",
                "'" + field[i] + "'");
        }
        out.printf("  %-10s mydata = %s%n", "main", mainSees);
        int own = 0;
        for (int i = 0; i < threads; i++)
        {
            own += ("data of thread-" + i).equals(local[i]) ? 1 : 0;
        }
        out.printf("%d of %d threads got their own value back from the ThreadLocal; the shared field showed them " +
            "all the last write ('%s').%n", own, threads, lastWrite);
        out.flush();
        return 0;
    }
}
