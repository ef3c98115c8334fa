package mp4j.process;

import mp4j.session.CurrentSlot;
import mp4j.session.Printable;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.util.Logging;

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
public class Process implements BaseProcess
{
    private static final AtomicInteger COUNTER = new AtomicInteger();

    static final String ROLE = "process";

    private final ProcessPayload payload;
    /** The class the worker needs to run the target (a lambda's class names its capturing class's place). */
    private final Class<?> targetType;
    private final String role;
    private JvmOptions jvmOptions = JvmOptions.defaults();
    private String classPath;
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
        this.targetType = target.getClass();
        this.name = defaultName();
        this.role = ROLE;
    }

    /** A reserve worker: a JVM started ahead of need, waiting in its slot for a target (see {@link Reservoir}). */
    private Process(final String name)
    {
        this.payload = null;
        this.targetType = null;
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
        this.targetType = targetClass;
        this.name = defaultName();
        this.role = ROLE;
    }

    private static String defaultName()
    {
        final int n = COUNTER.incrementAndGet();
        final int mySlot = CurrentSlot.get();
        return mySlot == 0 ? "Process-" + n : CurrentProcess.name() + ":" + n;
    }

    @Override
    public String name()
    {
        return name;
    }

    public Process name(final String name)
    {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    @Override
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

    /** The worker JVM's options (default: {@link JvmOptions#defaults()}, which says what a worker inherits). */
    public JvmOptions jvmOptions()
    {
        return jvmOptions;
    }

    /** Sets the worker JVM's heap size, system properties, agents or other flags; only before {@link #start()}. */
    public Process jvmOptions(final JvmOptions options)
    {
        if (process != null)
        {
            throw new IllegalStateException("process " + name + " has already started; set its JVM options before " +
                "start()");
        }
        this.jvmOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * Starts the worker JVM; returns once the OS process exists (it registers in the table as it starts).
     *
     * @throws IllegalStateException when no worker can be started: mp4j's worker or the target's class is not on
     *                               a class path a JVM can be given (the message says what was tried and the fix,
     *                               see {@link WorkerClassPath}), or the JVM cannot be run.
     */
    public synchronized Process start()
    {
        if (process != null)
        {
            throw new IllegalStateException("process " + name + " was started already; a process starts once");
        }
        // Fail before making a session or using a slot, not after a worker died of a missing class.
        classPath = WorkerClassPath.forTarget(targetType);
        session = Session.current();
        final ProcessTable table = session.processTable();
        final byte[] bytes = payload == null ? null : payload.checkedBytes(); // fail before using any slot
        // A reserve was started with the default options and the class path of its time: only those fit it.
        final Process reserve = bytes == null || !jvmOptions.isDefault() ? null : Reservoir.take(session, classPath);
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
            classDataSharing = WorkerClassDataSharing.options(classPath);
            // A reserve is a daemon until adopted, perhaps as a non-daemon: only its keeper watches its parent.
            final boolean dieWithParent = daemon && !Reservoir.ROLE.equals(role);
            process = Children.spawn(this, WorkerCommand.build(session.file(), slot, jvmOptions,
                classDataSharing.jvmArgs(), classPath), dieWithParent);
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
        Logging.debug(() -> describe() + " started" + (jvmOptions.isDefault() ? "" : " with " + jvmOptions) +
            " in session " + session.file());
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
        Logging.debug(() -> describe() + " started in reserve worker " + Printable.escape(reserve.name));
    }

    /** Records the exit in the process table, as Python's {@code Popen.poll} sets {@code returncode}. */
    private void reap()
    {
        final int raw = process.exitValue();
        final ProcessTable table = session.processTable();
        final boolean recorded = !session.isClosed() && table.generation(slot) == generation &&
            table.state(slot) == SessionLayout.SLOT_EXITED &&
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
            table.markExitedIfStill(slot, generation, code, killed);
        }
        exitCode = code;
        Logging.debug(() -> describe() + " exited with code " + code + (killed ? " (signal " + -code + ")" : ""));
        classDataSharing.workerExited();
        Children.reaped(this);
    }

    /** Name, pid, slot and daemon flag, for log lines. */
    private String describe()
    {
        return Printable.escape(name) + " (pid " + pid() + ", slot " + slot + (daemon ? ", daemon" : "") + ")";
    }

    @Override
    public long pid()
    {
        return process == null ? 0 : process.pid();
    }

    /** This process's slot in the session's process table; -1 before start. */
    public int slot()
    {
        return slot;
    }

    @Override
    public boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    /** The exit code: null while running (or before start); negative signal number after a signal (-9, -15). */
    @Override
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
    @Override
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

    /** True for an idle worker of the {@link Reservoir}, which no Process has taken yet. */
    boolean isReserve()
    {
        return Reservoir.ROLE.equals(role);
    }

    /** The class path this process's worker JVM was started with (null before start). */
    String classPath()
    {
        return classPath;
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
