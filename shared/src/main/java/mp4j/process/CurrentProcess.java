package mp4j.process;

import mp4j.session.CurrentSlot;
import mp4j.session.Session;
import mp4j.session.SessionLifecycle;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code multiprocessing.current_process()}, {@code parent_process()} and {@code active_children()}:
 * who this process is in its session, who started it, and which of the processes it started still run.
 * {@code mp4j.Multiprocessing} offers them under Python's names.
 */
public final class CurrentProcess
{
    private CurrentProcess()
    {
    }

    /**
     * This process's name.
     *
     * @return "MainProcess" in the session's creator (or before any session), the worker's name in a worker.
     */
    public static String name()
    {
        final Session session = Session.currentOrNull();
        return session == null ? "MainProcess" : session.processTable().name(CurrentSlot.get());
    }

    /**
     * This process's id.
     *
     * @return the operating system's pid of this JVM.
     */
    public static long pid()
    {
        return ProcessHandle.current().pid();
    }

    /**
     * Whether this process created the session.
     *
     * @return true in the process that created the session (or that has none yet: it will be the creator).
     */
    public static boolean isCreator()
    {
        return Session.currentOrNull() == null || SessionLifecycle.isCreator();
    }

    /**
     * This process's slot in the process table.
     *
     * @return the slot: 0 for the creator.
     */
    public static int slot()
    {
        return CurrentSlot.get();
    }

    /**
     * This process, as Python's {@code current_process()}: "MainProcess" in the process that made the session (or
     * that has none yet), the worker's name, pid and daemon flag in a worker. Its {@code exitCode()} is null and
     * {@code join} refuses: a process cannot wait for itself.
     *
     * @return this process.
     */
    public static BaseProcess process()
    {
        final Session session = Session.currentOrNull();
        return new SessionProcess(session, CurrentSlot.get(), true);
    }

    /**
     * The process that started this one, as Python's {@code parent_process()}; null in the process that made the
     * session. Its {@code join(timeout)} waits for the parent's end (a daemon worker then ends too).
     *
     * @return the parent, or null.
     */
    public static BaseProcess parent()
    {
        final Session session = Session.currentOrNull();
        if (session == null || CurrentSlot.get() == 0)
        {
            return null;
        }
        final int parentSlot = session.processTable().parentSlot(CurrentSlot.get());
        return parentSlot < 0 ? null : new SessionProcess(session, parentSlot, false);
    }

    /**
     * The processes this JVM started that still run, as Python's {@code active_children()}: those started with
     * {@link Process#start()}, pool workers among them; not the idle reserve workers of the {@link Reservoir}.
     *
     * @return a new list of the live children.
     */
    public static List<Process> activeChildren()
    {
        final List<Process> active = new ArrayList<>();
        for (final Process child : Children.live())
        {
            if (child.isAlive() && !child.isReserve())
            {
                active.add(child);
            }
        }
        return active;
    }
}
