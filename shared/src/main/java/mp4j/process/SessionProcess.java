package mp4j.process;

import mp4j.session.ProcessTable;
import mp4j.session.Printable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.util.ProcessIdentity;

import java.util.concurrent.TimeUnit;

/**
 * A process known from its slot in the session's process table, as Python's {@code _ParentProcess} and
 * {@code _MainProcess}: the current process or its parent, which this JVM did not start and cannot reap.
 */
final class SessionProcess implements BaseProcess
{
    private final Session session;
    private final int slot;
    private final boolean current;
    /** The slot's generation and occupant when this was made: a slot claimed again since is another process. */
    private final int generation;
    private final ProcessIdentity identity;

    SessionProcess(final Session session, final int slot, final boolean current)
    {
        this.session = session;
        this.slot = slot;
        this.current = current;
        this.generation = session == null ? 0 : session.processTable().generation(slot);
        this.identity = session == null || current ? null : session.processTable().identity(slot);
    }

    @Override
    public String name()
    {
        return session == null ? "MainProcess" : session.processTable().name(slot);
    }

    @Override
    public long pid()
    {
        return current ? ProcessHandle.current().pid() : identity.pid();
    }

    @Override
    public boolean daemon()
    {
        return session != null && session.processTable().isDaemon(slot);
    }

    @Override
    public boolean isAlive()
    {
        return current || identity.isAlive();
    }

    /** Null while it runs; once it has gone, the code it recorded, if it had time to (a killed process has not). */
    @Override
    public Integer exitCode()
    {
        return current || isAlive() ? null : exitCodeRecorded();
    }

    private Integer exitCodeRecorded()
    {
        final ProcessTable table = session.processTable();
        return !session.isClosed() && table.generation(slot) == generation &&
            table.state(slot) == SessionLayout.SLOT_EXITED ? table.exitCode(slot) : null;
    }

    /** Waits for the process's end by polling its identity: it is not this JVM's child, there is no exit event. */
    @Override
    public boolean join(final long timeoutMillis) throws InterruptedException
    {
        if (current)
        {
            throw new IllegalStateException("the current process cannot join itself (Python: 'can only join a " +
                "child process')");
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (isAlive())
        {
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return false;
            }
            Thread.sleep(Math.min(10, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        }
        return true;
    }

    @Override
    public String toString()
    {
        return "<" + (current ? "CurrentProcess" : "ParentProcess") + " name='" +
            Printable.escape(name()) + "' pid=" + pid() + (isAlive() ? " started" : " stopped") +
            (daemon() ? " daemon" : "") + ">";
    }
}
