package mp4j.process;

import mp4j.session.CurrentSlot;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Python's {@code multiprocessing.Process}: a target run in a separate worker JVM of the current session.
 * <pre>{@code
 * Process p = new Process(args -> System.out.println("hello " + args[0]), "bob");
 * p.start();
 * p.join();
 * p.exitCode(); // 0
 * }</pre>
 * Daemon semantics are Python's and better: at a normal exit of this JVM, daemon children are terminated and
 * the others joined; if this JVM is killed, daemon children notice within milliseconds and exit too, while the
 * others run to completion.
 */
public class Process
{
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ProcessPayload payload;
    private String name;
    private boolean daemon;
    private Session session;
    private int slot = -1;
    private java.lang.Process process;
    private WorkerClassDataSharing.Options classDataSharing;
    private volatile Integer exitCode;
    private java.util.concurrent.CompletableFuture<Void> reaped;

    /** A process that will run {@code target} (a serializable lambda, for instance) with {@code args}. */
    public Process(final Target target, final Object... args)
    {
        this.payload = new ProcessPayload(null, Objects.requireNonNull(target, "target"), args);
        this.name = defaultName();
    }

    /** A process that will run a new instance of {@code targetClass} (public no-arg constructor) with {@code args}. */
    public Process(final Class<? extends Target> targetClass, final Object... args)
    {
        this.payload = new ProcessPayload(Objects.requireNonNull(targetClass, "targetClass").getName(), null, args);
        this.name = defaultName();
    }

    private static String defaultName()
    {
        final int n = COUNTER.incrementAndGet();
        final int mySlot = CurrentSlot.get();
        return mySlot == 0 ? "Process-" + n : CurrentProcess.name() + ":" + n;
    }

    public String name()
    {
        return name;
    }

    public Process name(final String name)
    {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    public boolean daemon()
    {
        return daemon;
    }

    /** Sets the daemon flag; as in Python, only before {@link #start()}. */
    public Process daemon(final boolean daemon)
    {
        if (process != null)
        {
            throw new IllegalStateException("process " + name + " has already started; set daemon before start()");
        }
        this.daemon = daemon;
        return this;
    }

    /** Starts the worker JVM; returns once the OS process exists (it registers in the table as it starts). */
    public synchronized Process start()
    {
        if (process != null)
        {
            throw new IllegalStateException("process " + name + " was started already; a process starts once");
        }
        session = Session.current();
        final ProcessTable table = session.processTable();
        slot = table.claim(CurrentSlot.get(), name, "process", daemon);
        try
        {
            payload.writeTo(session, slot);
            classDataSharing = WorkerClassDataSharing.options(WorkerCommand.classPath());
            process = Children.spawn(this, WorkerCommand.build(session.file(), slot, classDataSharing.jvmArgs()));
        }
        catch (final RuntimeException | IOException ex)
        {
            table.release(slot);
            if (ex instanceof IOException)
            {
                throw new IllegalStateException("cannot start a worker JVM for " + name + ": " + ex.getMessage(), ex);
            }
            throw (RuntimeException)ex;
        }
        table.setIdentity(slot, ProcessIdentity.of(process.toHandle()));
        reaped = process.onExit().thenRun(this::reap);
        return this;
    }

    /** Records the exit in the process table, as Python's {@code Popen.poll} sets {@code returncode}. */
    private void reap()
    {
        final int raw = process.exitValue();
        final ProcessTable table = session.processTable();
        final boolean recorded = table.state(slot) == SessionLayout.SLOT_EXITED &&
            (table.flags(slot) & SessionLayout.FLAG_KILLED) == 0 && table.exitCode(slot) == raw;
        final int code;
        final boolean killed;
        if (!recorded && raw > 128 && raw <= 128 + 64)
        {
            code = -(raw - 128); // the JVM reports death by signal N as 128 + N; Python says -N
            killed = true;
        }
        else
        {
            code = raw;
            killed = false;
        }
        if (!session.isClosed())
        {
            table.markExited(slot, code, killed);
        }
        exitCode = code;
        classDataSharing.workerExited();
        Children.reaped(this);
    }

    public long pid()
    {
        return process == null ? 0 : process.pid();
    }

    /** This process's slot in the session's process table; -1 before start. */
    public int slot()
    {
        return slot;
    }

    public boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    /** The exit code: null while running (or before start); negative signal number after a signal (-9, -15). */
    public Integer exitCode()
    {
        if (process == null || process.isAlive())
        {
            return null;
        }
        if (exitCode == null)
        {
            reaped.join(); // the reaper runs right after the exit; wait for it, not only for the exit
        }
        return exitCode;
    }

    /** Waits until the process ends. */
    public void join() throws InterruptedException
    {
        checkStarted("join");
        process.waitFor();
        exitCode();
    }

    /** Waits at most {@code timeoutMillis}; returns whether the process ended. */
    public boolean join(final long timeoutMillis) throws InterruptedException
    {
        checkStarted("join");
        final boolean ended = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        if (ended)
        {
            exitCode();
        }
        return ended;
    }

    /** Sends SIGTERM, as Python's {@code terminate()}: the exit code becomes -15. */
    public void terminate()
    {
        checkStarted("terminate");
        process.destroy();
    }

    /** Sends SIGKILL, as Python's {@code kill()}: the exit code becomes -9. */
    public void kill()
    {
        checkStarted("kill");
        process.destroyForcibly();
    }

    private void checkStarted(final String what)
    {
        if (process == null)
        {
            throw new IllegalStateException("cannot " + what + " process " + name + ": it was not started");
        }
    }

    java.lang.Process osProcess()
    {
        return process;
    }

    Session session()
    {
        return session;
    }

    @Override
    public String toString()
    {
        final String state = process == null ? "initial" : process.isAlive() ? "started" : "stopped exitcode=" + exitCode();
        return "<Process name='" + name + "' pid=" + pid() + " " + state + (daemon ? " daemon" : "") + ">";
    }
}
