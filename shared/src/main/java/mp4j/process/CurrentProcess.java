package mp4j.process;

import mp4j.session.CurrentSlot;
import mp4j.session.Session;
import mp4j.session.SessionLifecycle;

/** Python's {@code multiprocessing.current_process()}: who this process is in its session. */
public final class CurrentProcess
{
    private CurrentProcess()
    {
    }

    /** "MainProcess" in the session's creator (or before any session), the worker's name in a worker. */
    public static String name()
    {
        final Session session = Session.currentOrNull();
        return session == null ? "MainProcess" : session.processTable().name(CurrentSlot.get());
    }

    public static long pid()
    {
        return ProcessHandle.current().pid();
    }

    /** True in the process that created the session (or that has none yet: it will be the creator). */
    public static boolean isCreator()
    {
        return Session.currentOrNull() == null || SessionLifecycle.isCreator();
    }

    /** This process's slot in the process table: 0 for the creator. */
    public static int slot()
    {
        return CurrentSlot.get();
    }
}
