package mp4j.session;

import mp4j.util.ProcessIdentity;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a process does over the life of its session, like CPython's {@code multiprocessing.util} exit handling:
 * a keeper thread writes its heartbeat and watches its parent; one shutdown hook runs the exit actions in order
 * (children first: daemons terminated, others joined; then the creator unmaps and removes the session file).
 * Java runs shutdown hooks concurrently and in no order, so there is exactly one hook and it owns the order.
 * <p>
 * Its exit is the first of the three ways a session's files go (last one out, the janitor, the sweep): see
 * {@link StaleSessions} for how they fit together.
 */
public final class SessionLifecycle
{
    /** Runs before the session is closed; for example the handling of this process's children. */
    public static final int CHILDREN = 0;
    /** Runs after {@link #CHILDREN}: pools and queues flush or close. */
    public static final int RESOURCES = 1;

    private static final List<Runnable>[] ACTIONS = newActions();
    private static final List<Runnable> LAST = new ArrayList<>();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
    private static final AtomicBoolean LEFT = new AtomicBoolean();
    /** Threads of this process making a file outside the session file that the session answers for. */
    private static final AtomicInteger MAKING_OUTSIDE = new AtomicInteger();
    private static final long MAKING_OUTSIDE_WAIT_NS = TimeUnit.SECONDS.toNanos(1);
    private static volatile AgentRunner keeperRunner;
    private static volatile Session session;
    private static volatile boolean creator;
    private static volatile int slot;

    private SessionLifecycle()
    {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Runnable>[] newActions()
    {
        return new List[] {new ArrayList<Runnable>(), new ArrayList<Runnable>()};
    }

    /**
     * The creator: heartbeat in the header and slot 0; at exit, handle children, then remove the session file.
     *
     * @param created the session this process has just created; it answers for it from now on
     */
    public static void creatorStarted(final Session created)
    {
        session = created;
        LEFT.set(false);
        creator = true;
        slot = 0;
        CurrentSlot.set(0);
        startKeeper(new Keeper(created, 0, null, null));
        installHook();
    }

    /**
     * A worker: heartbeat in its slot; {@code onParentDeath} runs once if the parent process dies (a daemon exits,
     * a non-daemon carries on).
     *
     * @param attached      the session the worker has attached to
     * @param workerSlot    the worker's own process slot
     * @param onParentDeath what to do when the parent dies, run once on the keeper thread; null for nothing
     */
    public static void workerStarted(final Session attached, final int workerSlot, final Runnable onParentDeath)
    {
        session = attached;
        LEFT.set(false);
        creator = false;
        slot = workerSlot;
        CurrentSlot.set(workerSlot);
        final int parentSlot = attached.processTable().parentSlot(workerSlot);
        final ProcessIdentity parent = parentSlot >= 0 ? attached.processTable().identity(parentSlot) : null;
        startKeeper(new Keeper(attached, workerSlot, parent, onParentDeath));
        installHook();
    }

    /**
     * Whether this process created its session ({@link #creatorStarted}) rather than attached to it as a worker.
     *
     * @return true in the creator
     */
    public static boolean isCreator()
    {
        return creator;
    }

    /**
     * Adds an action run once at exit, after the actions of lower {@code stage}s.
     *
     * @param stage  {@link #CHILDREN} or {@link #RESOURCES}; another value throws
     *               {@link ArrayIndexOutOfBoundsException}
     * @param action what to run; actions of one stage run in the order they were added
     */
    public static void atExit(final int stage, final Runnable action)
    {
        synchronized (ACTIONS)
        {
            ACTIONS[stage].add(action);
        }
        installHook();
    }

    /**
     * Adds an action run once at exit after all others, when the session file has been dealt with (not to be read).
     *
     * @param action what to run; it must not touch the session's memory
     */
    public static void atExitLast(final Runnable action)
    {
        synchronized (ACTIONS)
        {
            LAST.add(action);
        }
        installHook();
    }

    private static void installHook()
    {
        if (HOOK_INSTALLED.compareAndSet(false, true))
        {
            try
            {
                Runtime.getRuntime().addShutdownHook(new Thread(() ->
                {
                    Session.markEnded(); // a thread still at work (a pool's handler, say) must not make a new session
                    runExitActions();
                }, "mp4j-exit"));
            }
            catch (final IllegalStateException shutdownInProgress)
            {
                // The JVM is exiting already: a daemon worker still booting when its parent died got the kernel's
                // SIGTERM (ParentDeathSignal) before it got here. There is nothing left to hook, and the halt is
                // near; an uncaught "Shutdown in progress" would only print a stack trace on the user's screen.
            }
        }
    }

    /** Runs the exit actions; the exit hook calls it. */
    public static void runExitActions()
    {
        final List<Runnable> toRun = new ArrayList<>();
        final List<Runnable> last;
        synchronized (ACTIONS)
        {
            for (final List<Runnable> stage : ACTIONS)
            {
                toRun.addAll(stage);
                stage.clear();
            }
            last = new ArrayList<>(LAST);
            LAST.clear();
        }
        run(toRun);
        final AgentRunner runner = keeperRunner;
        if (runner != null)
        {
            runner.close();
            keeperRunner = null;
        }
        final Session s = session;
        if (s != null && !s.isClosed())
        {
            if (creator)
            {
                LEFT.set(true);
                awaitMakingOutside();
                // Every step on its own: whatever the file now holds (overwritten, truncated), the file goes.
                if (!s.isDamaged())
                {
                    quietly(() -> s.processTable().markExited(0, 0, false));
                    // what the session answers for outside its file: blocks of managers never closed, say
                    SessionHooks.ending(s);
                }
                if (s.isDamaged() && Session.claimDamageReport())
                {
                    System.err.println("mp4j: " + s.damage());
                }
                // Removed, not unmapped: a user's thread may still touch a Value while the JVM exits, and an
                // unmapped page would crash it (SIGSEGV); the mapping goes with the process.
                quietly(s::unlink);
            }
            else
            {
                // No unmapping here: the worker's target may still be running on another thread (a daemon whose
                // parent died exits from under it), and the mapping goes with the process anyway.
                quietly(SessionLifecycle::leaveSession);
            }
        }
        session = null;
        run(last);
    }

    /**
     * A worker on its way out counts itself out of the session, and if it was the last process of a session whose
     * creator is gone, it turns off the lights: removes the session file and the blocks of managers never closed.
     * It counts itself out before it looks: daemons whose parent was killed exit all at once, and of two that do,
     * at least the second then sees the first gone. Called by the exit hook, and by a daemon's halt path (which may
     * cut the hook short); runs once, and a second caller waits until the first is done: a halt in the middle,
     * after counting itself out and before looking, would leave the file to nobody. The mapping stays: other
     * threads may still use it until the process ends.
     */
    public static synchronized void leaveSession()
    {
        final Session s = session;
        if (s == null || creator || s.isClosed() || LEFT.getAndSet(true))
        {
            return;
        }
        awaitMakingOutside();
        if (s.isDamaged())
        {
            return; // its process table cannot be read: who else keeps it is unknown (the creator removes it)
        }
        final ProcessTable table = s.processTable();
        table.markExiting(slot);
        if (!s.creator().isAlive() && !table.othersKeepSession(slot))
        {
            SessionHooks.ending(s);
            s.unlink();
        }
    }

    /**
     * Begins making a file outside the session file that the session answers for (a SharedMemoryManager's block).
     * A daemon's target may still run while its process leaves the session, and the session's last process sweeps
     * such files: one made after that sweep would leak. So a process that has begun to leave makes no more
     * (false), and it leaves only once the ones being made are recorded and made. {@link #doneMakingOutside()}
     * must follow a true.
     *
     * @return whether the file may be made; false once this process has begun to leave the session
     */
    public static boolean beginMakingOutside()
    {
        MAKING_OUTSIDE.incrementAndGet();
        if (LEFT.get())
        {
            MAKING_OUTSIDE.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Ends what a true {@link #beginMakingOutside()} began, once the file is made and recorded (or given up). */
    public static void doneMakingOutside()
    {
        MAKING_OUTSIDE.decrementAndGet();
    }

    /** After LEFT is set: waits (briefly; a file is quick to make) for the files being made to be made. */
    private static void awaitMakingOutside()
    {
        final long deadline = System.nanoTime() + MAKING_OUTSIDE_WAIT_NS;
        while (MAKING_OUTSIDE.get() > 0 && System.nanoTime() - deadline < 0)
        {
            Thread.yield();
        }
    }

    /**
     * Runs one step of an exit path, which must go on whatever the step meets: a fault in a truncated file, an index
     * out of bounds from bytes overwritten while in use. A fault says nothing new (the damage is reported once);
     * anything else gets one line.
     */
    private static void quietly(final Runnable step)
    {
        try
        {
            step.run();
        }
        catch (final RuntimeException | Error ex)
        {
            if (!Session.isFault(ex))
            {
                System.err.println("mp4j: exit step failed: " + ex);
            }
        }
    }

    private static void run(final List<Runnable> actions)
    {
        for (final Runnable action : actions)
        {
            try
            {
                action.run();
            }
            catch (final RuntimeException | Error ex)
            {
                if (!Session.isFault(ex))
                {
                    System.err.println("mp4j: exit action failed: " + ex);
                }
            }
        }
    }

    private static void startKeeper(final Keeper keeper)
    {
        final AgentRunner runner = new AgentRunner(
            new SleepingMillisIdleStrategy(Keeper.TICK_MS), ex -> System.err.println("mp4j keeper: " + ex), null, keeper);
        keeperRunner = runner;
        AgentRunner.startOnThread(runner, r ->
        {
            final Thread thread = new Thread(r, "mp4j-keeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes the heartbeat and watches the parent; an Agrona agent on its own daemon thread. */
    static final class Keeper implements Agent
    {
        static final long TICK_MS = 10;
        private final Session session;
        private final int slot;
        private final ProcessIdentity parent;
        private final Runnable onParentDeath;
        private long nextHeartbeat;
        private boolean parentGone;
        private boolean heartbeatFailed;

        Keeper(final Session session, final int slot, final ProcessIdentity parent, final Runnable onParentDeath)
        {
            this.session = session;
            this.slot = slot;
            this.parent = parent;
            this.onParentDeath = onParentDeath;
        }

        @Override
        public int doWork()
        {
            if (session.isClosed())
            {
                return 0;
            }
            final long now = System.currentTimeMillis();
            if (now >= nextHeartbeat && !heartbeatFailed)
            {
                nextHeartbeat = now + SessionLayout.HEARTBEAT_INTERVAL_MS;
                heartbeat(now);
            }
            if (parent != null && !parentGone && !parent.isAlive())
            {
                parentGone = true;
                if (onParentDeath != null)
                {
                    onParentDeath.run();
                }
            }
            return 0;
        }

        /**
         * A session file truncated under the keeper faults here first (or overwritten bytes send it out of bounds):
         * it stops beating, quietly (the damage is reported once, by whoever hits it in a call or at exit), and goes
         * on watching the parent: a daemon of a dead parent must still go.
         */
        private void heartbeat(final long now)
        {
            if (session.isDamaged())
            {
                heartbeatFailed = true;
                return;
            }
            try
            {
                session.processTable().heartbeat(slot, now);
                if (slot == 0)
                {
                    session.heartbeat(now);
                }
            }
            catch (final RuntimeException | InternalError ex)
            {
                heartbeatFailed = true;
                if (!Session.isFault(ex))
                {
                    System.err.println("mp4j keeper: heartbeats stop: " + ex);
                }
            }
        }

        @Override
        public String roleName()
        {
            return "mp4j-keeper";
        }
    }
}
