package mp4j.process;

import mp4j.session.Session;
import mp4j.session.SessionHook;
import mp4j.session.SessionLayout;
import mp4j.util.Logging;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker JVMs started ahead of need, as Python's forkserver keeps a process ready to fork: a JVM takes ~100 ms to
 * start, a reserve worker is already running and registered, so {@link Process#start()} only hands it a target
 * (it wakes within a millisecond). Each reserve taken is replaced in the background.
 * <p>
 * Off by default (each reserve is an idle JVM); turn it on with {@link #prestart(int)} or
 * {@code -Dmp4j.reservoir=N}. Reserves are daemon children until adopted: they go with their parent.
 */
public final class Reservoir
{
    /** The role of a waiting reserve worker in the process table. */
    public static final String ROLE = "reserve";

    private static final ConcurrentLinkedDeque<Process> IDLE = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static volatile int size = Integer.getInteger("mp4j.reservoir", 0);
    private static volatile ExecutorService refiller;

    private Reservoir()
    {
    }

    /**
     * Starts the reserve of {@code -Dmp4j.reservoir=N} with each session this process creates: named in
     * {@code META-INF/services/mp4j.session.SessionHook}.
     */
    public static final class OnSessionStart implements SessionHook
    {
        @Override
        public void created(final Session session)
        {
            final int workers = Integer.getInteger("mp4j.reservoir", 0);
            if (workers > 0)
            {
                prestart(workers);
            }
        }
    }

    /** Keeps {@code workers} reserve workers ready from now on, starting them now (0 turns it off). */
    public static synchronized void prestart(final int workers)
    {
        if (workers < 0 || workers > 256)
        {
            throw new IllegalArgumentException("a reservoir holds 0..256 workers, got " + workers);
        }
        size = workers;
        while (IDLE.size() > workers)
        {
            final Process extra = IDLE.poll();
            if (extra != null)
            {
                extra.terminate();
            }
        }
        refill();
    }

    /** Reserve workers ready now: booted, warmed up and waiting (RUNNING in the process table). */
    public static int ready()
    {
        int ready = 0;
        for (final Process reserve : IDLE)
        {
            if (isReady(reserve))
            {
                ready++;
            }
        }
        return ready;
    }

    private static boolean isReady(final Process reserve)
    {
        final Session session = reserve.session();
        return reserve.isAlive() && !session.isClosed() &&
            session.processTable().state(reserve.slot()) == SessionLayout.SLOT_RUNNING;
    }

    /**
     * A live reserve of this session started with {@code classPath}, or null when there is none (the caller
     * starts a JVM as usual).
     */
    static Process take(final Session session, final String classPath)
    {
        if (size == 0)
        {
            return null;
        }
        // A ready reserve first; else one still booting, which is still ahead of a JVM started now.
        Process reserve = null;
        for (final Process candidate : IDLE)
        {
            if (candidate.session() == session && classPath.equals(candidate.classPath()) && isReady(candidate) &&
                IDLE.remove(candidate))
            {
                reserve = candidate;
                break;
            }
        }
        IDLE.removeIf(idle -> !idle.isAlive() || idle.session().isClosed());
        for (final Process candidate : IDLE)
        {
            if (reserve == null && candidate.session() == session && classPath.equals(candidate.classPath()) &&
                IDLE.remove(candidate))
            {
                reserve = candidate;
            }
        }
        refillLater();
        return reserve;
    }

    private static synchronized void refill()
    {
        while (IDLE.size() < size)
        {
            final Process reserve = Process.reserve("Reserve-" + NUMBER.incrementAndGet());
            reserve.start();
            IDLE.add(reserve);
            Logging.debug(() -> "reservoir: " + IDLE.size() + " of " + size + " reserve workers started");
        }
    }

    private static void refillLater()
    {
        ExecutorService executor = refiller;
        if (executor == null)
        {
            synchronized (Reservoir.class)
            {
                if (refiller == null)
                {
                    refiller = Executors.newSingleThreadExecutor(r ->
                    {
                        final Thread thread = new Thread(r, "mp4j-reservoir");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                executor = refiller;
            }
        }
        executor.execute(() ->
        {
            try
            {
                refill();
            }
            catch (final RuntimeException ex)
            {
                // no reserve this time (session full, for instance): Process.start() spawns as usual
            }
        });
    }
}
