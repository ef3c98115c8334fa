package mp4j.launcher.bench;

import mp4j.managers.Manager;
import mp4j.managers.SharedDict;
import mp4j.pool.Pool;
import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.queues.JoinableQueue;
import mp4j.queues.Pipe;
import mp4j.queues.Queue;
import mp4j.queues.SimpleQueue;
import mp4j.session.DirectoryEntry;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.sharedmemory.SharedMemoryNames;
import mp4j.sharedctypes.Array;
import mp4j.sharedctypes.Value;
import mp4j.synchronize.Barrier;
import mp4j.synchronize.Condition;
import mp4j.synchronize.Event;
import mp4j.synchronize.Lock;
import mp4j.synchronize.RLock;
import mp4j.synchronize.Semaphore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * worker_idle_rss_MB: the resident memory of one idle worker JVM (registered, waiting), and of 16 together
 * (workers16_idle_rss_MB, a sibling), against Python's spawn workers; with the proportional set sizes (PSS: pages
 * shared between the workers, as the class-data archive's, counted once) and what /dev/shm holds per session and
 * per kind of shared object, as extras.
 */
public final class MemoryBench implements BenchFigure
{
    private final boolean sixteen;
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> siblings = new LinkedHashMap<>();

    public MemoryBench(final boolean sixteen)
    {
        this.sixteen = sixteen;
    }

    @Override
    public String key()
    {
        return sixteen ? "workers16_idle_rss_MB" : "worker_idle_rss_MB";
    }

    @Override
    public String description()
    {
        return sixteen ? "resident memory of 16 idle worker processes, summed" :
            "resident memory of one idle worker process";
    }

    @Override
    public boolean higherIsBetter()
    {
        return false;
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }

    @Override
    public Map<String, Map<String, Double>> siblings()
    {
        return siblings;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final double[] one = idleWorkers(1);
        final double[] sixteenWorkers = idleWorkers(16);
        extras.put("one_pss_MB", one[1]);
        extras.put("sixteen_pss_MB", sixteenWorkers[1]);
        siblings.put(this.sixteen ? "worker_idle_rss_MB" : "workers16_idle_rss_MB", Map.of(MP4J, this.sixteen ? one[0] :
            sixteenWorkers[0]));
        extras.put("shm_bytes", shmBytes());
        return this.sixteen ? sixteenWorkers[0] : one[0];
    }

    /** Resident and proportional set sizes in MB, summed over {@code count} idle workers. */
    private static double[] idleWorkers(final int count) throws Exception
    {
        final ProcessTable table = Session.current().processTable();
        final List<Process> workers = new ArrayList<>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                workers.add(new Process(Idle.class).daemon(true).start());
            }
            for (final Process worker : workers)
            {
                while (table.state(worker.slot()) == SessionLayout.SLOT_NEW && worker.isAlive())
                {
                    Thread.sleep(1);
                }
            }
            Thread.sleep(1_000); // past their start: what an idle worker keeps
            double rss = 0;
            double pss = 0;
            for (final Process worker : workers)
            {
                rss += kilobytes(worker.pid(), "status", "VmRSS:") / 1024.0;
                pss += kilobytes(worker.pid(), "smaps_rollup", "Pss:") / 1024.0;
            }
            return new double[] {rss, pss};
        }
        finally
        {
            for (final Process worker : workers)
            {
                worker.kill();
            }
            for (final Process worker : workers)
            {
                worker.join(10_000);
            }
        }
    }

    static long kilobytes(final long pid, final String file, final String field) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file)))
        {
            if (line.startsWith(field))
            {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    /**
     * Bytes of /dev/shm: the session file (its length and the pages written so far), then each kind of object as
     * its directory entries take in the session's data area, and the pages creating it touched; a manager's dict
     * also by the files of its own.
     */
    private static Map<String, Object> shmBytes() throws Exception
    {
        final Session session = Session.current();
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_file_length", session.fileLength());
        out.put("session_file_touched", touched(session.file()));
        final Map<String, Callable<Object>> kinds = new LinkedHashMap<>();
        kinds.put("Value('i')", () -> new Value('i'));
        kinds.put("Array('d',1000)", () -> new Array('d', 1000));
        kinds.put("Lock", Lock::new);
        kinds.put("RLock", RLock::new);
        kinds.put("Semaphore", Semaphore::new);
        kinds.put("Event", Event::new);
        kinds.put("Condition", Condition::new);
        kinds.put("Barrier(4)", () -> new Barrier(4));
        kinds.put("Queue", Queue::new);
        kinds.put("SimpleQueue", SimpleQueue::new);
        kinds.put("JoinableQueue", JoinableQueue::new);
        kinds.put("Pipe", Pipe::create);
        kinds.put("Pool(4)", () ->
        {
            try (Pool pool = new Pool(4))
            {
                return pool;
            }
        });
        for (final Map.Entry<String, Callable<Object>> kind : kinds.entrySet())
        {
            final int before = session.directory().used();
            final long touchedBefore = touched(session.file());
            kind.getValue().call();
            out.put(kind.getKey(), inSession(session, before, touchedBefore));
        }
        out.put("Manager().dict(), 1,000 keys", managerDict(session));
        return out;
    }

    /** What the entries made since {@code before} take in the session, and the session's pages written since. */
    private static Map<String, Object> inSession(final Session session, final int before, final long touchedBefore)
        throws Exception
    {
        long bytes = 0;
        for (final DirectoryEntry entry : session.directory().entries())
        {
            if (entry.index() >= before)
            {
                bytes += entry.length();
            }
        }
        final Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("allocated", bytes);
        sizes.put("touched", touched(session.file()) - touchedBefore);
        return sizes;
    }

    /**
     * A manager's dict lives in blocks of its own (/dev/shm files beside the session): their lengths and the pages
     * written in them after 1,000 small puts, plus its entry in the session.
     */
    private static Map<String, Object> managerDict(final Session session) throws Exception
    {
        final int before = session.directory().used();
        final long touchedBefore = touched(session.file());
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Integer> d = manager.dict();
            for (int i = 0; i < 1_000; i++)
            {
                d.set("key" + i, i);
            }
            final Map<String, Object> sizes = inSession(session, before, touchedBefore);
            long length = 0;
            long written = 0;
            for (final String block : manager.blockNames())
            {
                final Path file = SharedMemoryNames.directory().resolve(block);
                length += Files.size(file);
                written += touched(file);
            }
            sizes.put("own_files_length", length);
            sizes.put("own_files_touched", written);
            return sizes;
        }
    }

    /** Bytes of a /dev/shm file backed by memory (its blocks), which is less than its length until written. */
    private static long touched(final Path file) throws IOException, InterruptedException
    {
        final java.lang.Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString())
            .redirectErrorStream(true).start();
        final String[] out = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
        stat.waitFor();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    /** A worker that waits, idle, until it is killed. */
    public static final class Idle implements Target
    {
        @Override
        public void run(final Object... args) throws InterruptedException
        {
            Thread.sleep(600_000);
        }
    }
}
