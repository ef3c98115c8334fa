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

    static final String ROLE = "process";

    private final ProcessPayload payload;
    private final String role;
    private String name;
    private boolean daemon;
    private Session session;
    private int slot = -1;
    /** The slot's generation when this process took it: a slot claimed again since is not ours to write. */
    private int generation;
    private java.lang.Process process;
    private WorkerClassDataSharing.Options classDataSharing;
    private volatile Integer exitCode;
    private java.util.concurrent.CompletableFuture<Void> reaped;

    /** A process that will run {@code target} (a serializable lambda, for instance) with {@code args}. */
    public Process(final Target target, final Object... args)
    {
        this.payload = new ProcessPayload(null, Objects.requireNonNull(target, "target"), args);
        this.name = defaultName();
        this.role = ROLE;
    }

    /** A reserve worker: a JVM started ahead of need, waiting in its slot for a target (see {@link Reservoir}). */
    private Process(final String name)
    {
        this.payload = null;
        this.name = name;
        this.role = Reservoir.ROLE;
        this.daemon = true; // until a Process adopts it: a reserve goes with its parent
    }

    static Process reserve(final String name)
    {
        return new Process(name);
    }

    /** A process that will run a new instance of {@code targetClass} (public no-arg constructor) with {@code args}. */
    public Process(final Class<? extends Target> targetClass, final Object... args)
    {
        this.payload = new ProcessPayload(Objects.requireNonNull(targetClass, "targetClass").getName(), null, args);
        this.name = defaultName();
        this.role = ROLE;
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
        final byte[] bytes = payload == null ? null : payload.checkedBytes(); // fail before using any slot
        final Process reserve = bytes == null ? null : Reservoir.take(session);
        if (reserve != null)
        {
            adopt(reserve, table, bytes);
            return this;
        }
        slot = table.claim(CurrentSlot.get(), name, role, daemon);
        generation = table.generation(slot);
        try
        {
            if (bytes != null)
            {
                ProcessPayload.writeTo(session, slot, bytes);
            }
            classDataSharing = WorkerClassDataSharing.options(WorkerCommand.classPath());
            // A reserve is a daemon until adopted, perhaps as a non-daemon: only its keeper watches its parent.
            final boolean dieWithParent = daemon && !Reservoir.ROLE.equals(role);
            process = Children.spawn(this, WorkerCommand.build(session.file(), slot, classDataSharing.jvmArgs()),
                dieWithParent);
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

    /** Takes over a running reserve worker: a new name and flags, then the payload that sets it to work. */
    private void adopt(final Process reserve, final ProcessTable table, final byte[] bytes)
    {
        slot = reserve.slot;
        generation = reserve.generation;
        process = reserve.process;
        classDataSharing = reserve.classDataSharing;
        table.assign(slot, name, role, daemon);
        Children.adopted(reserve, this);
        reaped = process.onExit().thenRun(this::reap);
        ProcessPayload.writeTo(session, slot, bytes);
    }

    /** Records the exit in the process table, as Python's {@code Popen.poll} sets {@code returncode}. */
    private void reap()
    {
        final int raw = process.exitValue();
        final ProcessTable table = session.processTable();
        // A damaged session file (truncated while in use) is not written: a fault there could take this JVM down.
        final boolean usable = !session.isClosed() && !session.isDamaged();
        boolean recorded = false;
        try
        {
            recorded = usable && table.generation(slot) == generation &&
                table.state(slot) == SessionLayout.SLOT_EXITED &&
                (table.flags(slot) & SessionLayout.FLAG_KILLED) == 0 && table.exitCode(slot) == raw;
        }
        catch (final RuntimeException | InternalError ex)
        {
            // the table cannot be read: the exit code is the OS's
        }
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
        if (usable)
        {
            try
            {
                table.markExitedIfStill(slot, generation, code, killed);
            }
            catch (final RuntimeException | InternalError ex)
            {
                // as above: the exit is known to this process all the same
            }
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
