package mp4j.worker;

import mp4j.codec.WarmUp;
import mp4j.process.ArchivedClasses;
import mp4j.process.Doorbell;
import mp4j.process.ProcessPayload;
import mp4j.process.Reservoir;
import mp4j.process.Target;
import mp4j.session.Printable;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionFileException;
import mp4j.session.SessionLayout;
import mp4j.session.SessionLifecycle;
import mp4j.util.Logging;
import mp4j.util.ProcessIdentity;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The main of every worker JVM, as CPython's {@code spawn_main}: attach to the session, register in the
 * process table, watch the parent, run the target, record the exit.
 * <pre>
 *   java [flags] -cp CLASSPATH mp4j.worker.WorkerMain SESSION_FILE SLOT
 * </pre>
 * Exit codes as Python's: 0 when the target returns, 1 when it throws (the traceback goes to stderr).
 */
public final class WorkerMain
{
    /** A daemon whose parent died exits with the code a SIGTERM would give (128 + 15). */
    static final int PARENT_DIED_EXIT = 143;
    /** Set on the command line of a worker that dumps the class-data archive at its exit. */
    static final String CDS_DUMPER_PROPERTY = "mp4j.worker.cdsDumper";
    /** Bad command line or unusable session: nothing ran. */
    static final int USAGE_EXIT = 2;

    private static final AtomicBoolean PARENT_GONE = new AtomicBoolean();

    private WorkerMain()
    {
    }

    /**
     * Runs the target of one process slot, then exits with its code; started by mp4j, never by hand.
     *
     * @param args the session file's path and the slot number; anything else exits with code 2 and a usage line.
     */
    public static void main(final String[] args)
    {
        if (args.length != 2)
        {
            System.err.println("usage: WorkerMain SESSION_FILE SLOT (started by mp4j, not by hand)");
            System.exit(USAGE_EXIT);
        }
        final Session session;
        final int slot;
        try
        {
            session = Session.attach(Path.of(args[0]));
            slot = Integer.parseInt(args[1]);
            final int state = session.processTable().state(slot);
            if (state != SessionLayout.SLOT_NEW)
            {
                throw new IllegalStateException("process slot " + slot + " is " + ProcessTable.stateName(state) +
                    ", not NEW: this worker was not expected");
            }
        }
        catch (final SessionFileException | IllegalStateException | IndexOutOfBoundsException |
            NumberFormatException ex)
        {
            // A session file cut while this worker booted: its parent, alive, sees it and says it once.
            if (!(Session.wasTruncated(Path.of(args[0])) &&
                ProcessHandle.current().parent().map(ProcessHandle::isAlive).orElse(false)))
            {
                System.err.println("mp4j worker: " + ex.getMessage());
            }
            System.exit(USAGE_EXIT);
            return;
        }
        System.exit(run(session, slot));
    }

    static int run(final Session session, final int slot)
    {
        final ProcessTable table = session.processTable();
        Session.setCurrent(session);
        Doorbell.claimStdin(); // stdin is the doorbell its parent rings (a pool worker's wake-up)
        // The daemon flag is read when the parent dies, not now: a reserve worker gets its real flag later.
        final Runnable onParentDeath = () -> parentDied(table.isDaemon(slot));
        // The keeper polls the parent's liveness every 10 ms. A thread blocked reading stdin would notice sooner,
        // but a thread blocked in native code makes every JVM exit wait 300 ms (HotSpot's VM_Exit).
        // The exit hook comes first: a RUNNING worker always leaves the session through it (see leaveSession).
        SessionLifecycle.workerStarted(session, slot, onParentDeath);
        // A reserve warms up before it says RUNNING: RUNNING is how the reservoir and its users know it is ready.
        // One adopted while still booting (its role already says "process") skips the warm-up: its target waits.
        final boolean reserve = Reservoir.ROLE.equals(table.role(slot));
        if (reserve)
        {
            WarmUp.serialization(); // a reserve has time: its first task should not pay for this
        }
        table.markRunning(slot, ProcessIdentity.current());
        if (Boolean.getBoolean(CDS_DUMPER_PROPERTY))
        {
            leaveQuicklyIfOrphanedDaemon(table, slot, ArchivedClasses.loadInBackground());
        }

        int exitCode;
        try
        {
            // A reserve waits for its target. So does a reserve adopted while it was still booting: its role may
            // already say "process" before the adopter has written the payload.
            if (reserve || table.payloadLength(slot) == 0)
            {
                awaitAssignment(table, slot);
            }
            final ProcessPayload payload = ProcessPayload.readFrom(session, slot);
            final Target target = payload.resolveTarget();
            Logging.debug(() -> "worker " + Printable.escape(table.name(slot)) + " (slot " + slot +
                ") runs " + payload.describe());
            target.run(payload.args() == null ? new Object[0] : payload.args());
            exitCode = 0;
        }
        catch (final Throwable ex)
        {
            exitCode = 1;
            if (Session.isFault(ex) || session.isDamaged())
            {
                // The session file was cut under it: no trace (it shows mp4j's code, not the user's). The parent maps
                // the same file and says what happened, once; a worker whose parent is gone says it itself.
                if (PARENT_GONE.get() && Session.claimDamageReport())
                {
                    System.err.println("mp4j worker " + ProcessHandle.current().pid() + ": " + session.faultError(ex)
                        .getMessage());
                }
            }
            else
            {
                // as Python's BaseProcess._bootstrap: "Process NAME:", then the traceback of what the target raised
                // (a class target's constructor included, not the reflection around it)
                System.err.println("Process " + Printable.escape(table.name(slot)) + ":");
                (ex instanceof InvocationTargetException wrapped && wrapped.getCause() != null ? wrapped.getCause() :
                    ex).printStackTrace();
            }
        }
        System.out.flush();
        System.err.flush();
        if (!session.isDamaged())
        {
            try
            {
                table.markExited(slot, exitCode, false);
            }
            catch (final RuntimeException | InternalError ex)
            {
                // bytes overwritten or cut under it: the parent's reaper records the exit from the OS
            }
        }
        final int code = exitCode;
        Logging.debug(() -> "worker " + Printable.escape(table.name(slot)) + " (slot " + slot +
            ") exits with code " + code);
        return exitCode;
    }

    /** A reserve worker waits, without burning a core, until a Process hands it a target. */
    private static void awaitAssignment(final ProcessTable table, final int slot)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        while (table.payloadLength(slot) == 0)
        {
            idle.idle();
        }
    }

    /** SIGKILL to this JVM: the one way out that skips the exit-time work of the JVM itself. */
    private static void killSelf()
    {
        try
        {
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        }
        catch (final java.io.IOException | InterruptedException ex)
        {
            // no kill command: the caller halts instead
        }
    }

    /**
     * A worker dumping the class-data archive spends its exit (even {@code Runtime.halt}) writing it, a few hundred
     * ms. A daemon whose parent died must be quicker than that: once its exit actions are done (its exit recorded,
     * the session file removed if it was the last), it kills itself, and the next worker dumps the archive. Its
     * exit may start from the keeper or from the kernel's SIGTERM (ParentDeathSignal): both run the exit actions.
     * Otherwise its exit waits for the classes it loads for the archive (ArchivedClasses).
     */
    private static void leaveQuicklyIfOrphanedDaemon(final ProcessTable table, final int slot, final Thread preload)
    {
        final int parentSlot = table.parentSlot(slot);
        final ProcessIdentity parent = parentSlot >= 0 ? table.identity(parentSlot) : null;
        final AtomicBoolean daemonAtExit = new AtomicBoolean();
        SessionLifecycle.atExit(SessionLifecycle.RESOURCES, () ->
        {
            daemonAtExit.set(table.isDaemon(slot));
            if (!PARENT_GONE.get() && (parent == null || parent.isAlive()))
            {
                joinQuietly(preload, 2_000); // the archive is for every later worker (ArchivedClasses)
            }
        });
        SessionLifecycle.atExitLast(() ->
        {
            if (daemonAtExit.get() && (PARENT_GONE.get() || (parent != null && !parent.isAlive())))
            {
                killSelf();
            }
        });
    }

    private static void joinQuietly(final Thread thread, final long millis)
    {
        try
        {
            thread.join(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void parentDied(final boolean daemon)
    {
        if (!PARENT_GONE.compareAndSet(false, true) || !daemon)
        {
            return; // a non-daemon child runs to completion, as in Python
        }
        Logging.debug(() -> "parent died: this daemon worker exits");
        // A daemon goes with its parent. Exit on another thread: this one may be the keeper the exit stops.
        final boolean dumper = Boolean.getBoolean(CDS_DUMPER_PROPERTY);
        final Thread exit = new Thread(() -> System.exit(PARENT_DIED_EXIT), "mp4j-daemon-exit");
        exit.setDaemon(true);
        exit.start();
        final Thread halt = new Thread(() ->
        {
            try
            {
                Thread.sleep(60);
            }
            catch (final InterruptedException ignore)
            {
                // halting anyway
            }
            SessionLifecycle.leaveSession(); // the hook may not have got that far: the last one out still cleans up
            if (dumper)
            {
                killSelf();
            }
            Runtime.getRuntime().halt(PARENT_DIED_EXIT); // shutdown hooks took too long
        }, "mp4j-daemon-halt");
        halt.setDaemon(true);
        halt.start();
    }
}
