package mp4j.launcher.chaos;

import mp4j.managers.Manager;
import mp4j.managers.ManagerCheck;
import mp4j.managers.RemoteObject;
import mp4j.managers.ServerDiedException;
import mp4j.managers.SharedDict;
import mp4j.managers.SharedList;
import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.sharedctypes.Array;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Workers merge, put, remove and append in one manager's dict and list as fast as they can; each acknowledges an
 * update (a counter in an Array outside the manager) only once its call has returned. The chaos script kills a
 * worker, or this parent, at a random moment: in the middle of an update more often than not. Checked: every
 * acknowledged update is there exactly once and the one in flight once or not at all (lost, duplicated, wrong),
 * the manager walks whole with no block lost ({@link Manager#check()}, counted as wrong), and nothing is left in
 * /dev/shm (the chaos script). Half the rounds also register a counter type ({@link Manager#register}) that the
 * workers call now and then; the chaos script may kill its server process ("server"): every call must then fail
 * at once with {@link ServerDiedException}, and otherwise the counter counts every acknowledged call.
 */
public final class ManagerWorkload implements ChaosWorkload
{
    private static final int COUNTERS = 5;
    private static final int MERGES = 0;
    private static final int PUTS = 1;
    private static final int APPENDS = 2;
    private static final int REMOVES = 3;
    /** Calls on the registered counter that returned; -1 once the server was found gone. */
    private static final int CALLS = 4;
    private static final int WINDOW = 100;

    @Override
    public String name()
    {
        return "manager";
    }

    @Override
    public ChaosResult run(final Random random, final ChaosEvents events) throws Exception
    {
        final int workers = 1 + random.nextInt(3); // few: the one killed is often the one holding the lock
        final long millis = 500 + random.nextInt(1500);
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Object> d = manager.dict();
            final SharedList<Long> l = manager.list();
            final Array acked = new Array('q', COUNTERS * workers, false);
            RemoteObject counter = null;
            if (random.nextBoolean())
            {
                // half the rounds also use a registered type, whose server process may be the one killed
                manager.register("counter", args -> new AtomicLong());
                counter = manager.create("counter");
                events.worker(manager.serverPid(), "server", true);
            }
            final List<Process> processes = new ArrayList<>();
            for (int w = 0; w < workers; w++)
            {
                final Process p = new Process(Updates.class, d, l, acked, w, millis, counter).daemon(true).start();
                processes.add(p);
                events.worker(p.pid(), "worker", true);
            }
            // ready once every worker is updating: a kill then lands in the middle of an update more often than not
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (!allUpdating(acked, processes) && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            events.emit("ready");
            long killed = 0;
            for (final Process p : processes)
            {
                if (!p.join(120_000))
                {
                    throw new IllegalStateException("worker " + p.pid() + " did not end within 120 s: a hang?");
                }
                killed += p.exitCode() != 0 ? 1 : 0;
            }
            final long[] verdict = verify(d, l, acked, workers);
            final String server = counter == null ? "" : "; " + verifyServer(counter, acked, workers, verdict);
            final ManagerCheck check = manager.check();
            return new ChaosResult(verdict[0], verdict[1], verdict[2], verdict[3] + (check.ok() ? 0 : 1), killed,
                verdict[0] + " acknowledged updates checked; " + killed + " worker(s) killed; manager " +
                (check.ok() ? "whole" : "NOT WHOLE: " + check) + ": " + blocks(check) + server);
        }
    }

    /**
     * The registered counter counts every acknowledged call and at most one more per worker; once its server was
     * killed, every call fails at once with ServerDiedException (the parent's too), and no worker hung on it.
     */
    private static String verifyServer(final RemoteObject counter, final Array acked, final int workers,
        final long[] verdict)
    {
        long calls = 0;
        boolean gone = false;
        for (int w = 0; w < workers; w++)
        {
            final long n = acked.get(COUNTERS * w + CALLS);
            gone |= n < 0;
            calls += Math.max(0, n);
        }
        try
        {
            final long value = ((Number)counter.call("get")).longValue();
            verdict[0] += calls;
            verdict[1] += Math.max(0, calls - value);
            verdict[2] += Math.max(0, value - calls - workers);
            return "server counted " + value + " of " + calls + " acknowledged calls";
        }
        catch (final ServerDiedException ex)
        {
            return "server killed: " + (gone ? "workers' calls failed cleanly" : "found gone") + ", and so did this one";
        }
    }

    private static String blocks(final ManagerCheck check)
    {
        return check.blocks() + " blocks (" + check.free() + " free), " + check.leaked() + " lost, " +
            check.undone() + " update(s) undone after a death";
    }

    private static boolean allUpdating(final Array acked, final List<Process> processes)
    {
        for (int w = 0; w < processes.size(); w++)
        {
            if (processes.get(w).isAlive() && acked.get(COUNTERS * w + MERGES) + acked.get(COUNTERS * w + PUTS) +
                acked.get(COUNTERS * w + APPENDS) == 0)
            {
                return false;
            }
        }
        return true;
    }

    static String putKey(final int worker, final long j)
    {
        return "p" + worker + ":" + j;
    }

    static Object putValue(final long j)
    {
        return j % 37 == 0 ? "v".repeat(2000) + j : (Object)j; // some large, most small
    }

    /** args: dict, list, acks Array('q', 4 * workers), worker index, milliseconds to run. */
    public static final class Updates implements Target
    {
        @Override
        @SuppressWarnings("unchecked")
        public void run(final Object... args)
        {
            final SharedDict<String, Object> d = (SharedDict<String, Object>)args[0];
            final SharedList<Long> l = (SharedList<Long>)args[1];
            final Array acked = (Array)args[2];
            final int w = (Integer)args[3];
            final long end = System.nanoTime() + (Long)args[4] * 1_000_000L;
            RemoteObject counter = (RemoteObject)args[5];
            long calls = 0;
            final Random random = new Random(w);
            final int at = COUNTERS * w;
            long merges = 0;
            long puts = 0;
            long appends = 0;
            while (System.nanoTime() < end)
            {
                switch (random.nextInt(3))
                {
                    case 0 ->
                    {
                        d.merge("m" + w, 1, (a, b) -> (Integer)a + (Integer)b);
                        acked.set(at + MERGES, ++merges);
                    }
                    case 1 ->
                    {
                        d.put(putKey(w, puts), putValue(puts));
                        acked.set(at + PUTS, ++puts);
                        if (puts > WINDOW)
                        {
                            d.remove(putKey(w, puts - WINDOW - 1));
                            acked.set(at + REMOVES, puts - WINDOW);
                        }
                    }
                    default ->
                    {
                        l.add(((long)w << 32) | appends);
                        acked.set(at + APPENDS, ++appends);
                    }
                }
                if (counter != null && (merges + puts + appends) % 16 == 0)
                {
                    try
                    {
                        counter.call("incrementAndGet");
                        acked.set(at + CALLS, ++calls);
                    }
                    catch (final ServerDiedException ex)
                    {
                        acked.set(at + CALLS, -1); // failed cleanly, at once: go on without it
                        counter = null;
                    }
                }
            }
        }
    }

    /** {checked, lost, duplicated, wrong}. */
    static long[] verify(final SharedDict<String, Object> d, final SharedList<Long> l, final Array acked,
        final int workers)
    {
        long checked = 0;
        long lost = 0;
        long duplicated = 0;
        long wrong = 0;
        final List<Long> elements = l.copy();
        for (int w = 0; w < workers; w++)
        {
            final int at = COUNTERS * w;
            final Object merged = d.get("m" + w);
            final long merges = merged == null ? 0 : ((Integer)merged).longValue();
            final long mergesAcked = acked.get(at + MERGES);
            checked += mergesAcked;
            lost += Math.max(0, mergesAcked - merges);
            duplicated += Math.max(0, merges - mergesAcked - 1);

            final long puts = acked.get(at + PUTS);
            final long removes = acked.get(at + REMOVES);
            checked += puts + removes;
            for (long j = Math.max(0, removes - 2); j <= puts + 1; j++)
            {
                final Object value = d.get(putKey(w, j));
                final boolean inFlight = j == removes || j == puts;
                final boolean mustBe = j > removes && j < puts;
                if (value == null && mustBe)
                {
                    lost++;
                }
                else if (value != null && !mustBe && !inFlight)
                {
                    duplicated++;
                }
                else if (value != null && !value.equals(putValue(j)))
                {
                    wrong++;
                }
            }

            final long appendsAcked = acked.get(at + APPENDS);
            checked += appendsAcked;
            long next = 0;
            for (final long element : elements)
            {
                if ((element >>> 32) != w)
                {
                    continue;
                }
                final long j = element & 0xFFFF_FFFFL;
                if (j < next)
                {
                    duplicated++;
                }
                else
                {
                    lost += j - next;
                    next = j + 1;
                }
            }
            lost += Math.max(0, appendsAcked - next);
            duplicated += Math.max(0, next - appendsAcked - 1);
        }
        return new long[] {checked, lost, duplicated, wrong};
    }
}
