package mp4j.process;

import mp4j.queues.Waitable;
import mp4j.session.CurrentSlot;
import mp4j.session.Printable;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.util.Logging;
import mp4j.util.ProcessIdentity;

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
 * <p>
 * Where Python answers None: before {@link #start()}, {@link #exitCode()} is null (there is no exit code yet, as
 * while it runs), while {@link #pid()} throws IllegalStateException (there is no pid to give, and 0 would look
 * like one), as {@link #join()}, {@link #terminate()} and {@link #kill()} do. After {@link #close()}, all of them
 * throw, as Python's ValueError("process object is closed").
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
    private volatile boolean closed;

    /**
     * A process that will run {@code target} with {@code args}, as Python's {@code Process(target=..., args=...)}.
     *
     * @param target what the worker runs: a serializable lambda or object, sent to the worker encoded (so it
     *               carries no live state of this JVM); never null.
     * @param args   the arguments the target receives, encoded the same way; none is an empty array.
     * @throws NullPointerException when {@code target} is null.
     */
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

    /**
     * A process that will run a new instance of {@code targetClass} with {@code args}; the worker makes the
     * instance, so nothing of this JVM's target object is sent.
     *
     * @param targetClass a class with a public no-argument constructor, on the worker's class path; never null.
     * @param args        the arguments the target receives, sent encoded; none is an empty array.
     * @throws NullPointerException when {@code targetClass} is null.
     */
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

    /**
     * Sets the name, Python's {@code name}: shown by {@code launcher inspect} and in error messages; it need not be
     * unique.
     *
     * @param name the new name; never null.
     * @return this process, for chaining.
     * @throws NullPointerException when {@code name} is null.
     */
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

    /**
     * Sets the daemon flag; as in Python, only before {@link #start()}. A daemon process is terminated when its
     * parent exits (or dies); a non-daemon one is joined at the parent's normal exit.
     *
     * @param daemon whether the process is a daemon.
     * @return this process, for chaining.
     * @throws IllegalStateException after {@link #start()}.
     */
    public Process daemon(final boolean daemon)
    {
        if (process != null)
        {
            throw new IllegalStateException("process " + name + " has already started; set daemon before start()");
        }
        this.daemon = daemon;
        return this;
    }

    /**
     * The worker JVM's options.
     *
     * @return the options set, or {@link JvmOptions#defaults()} (which says what a worker inherits) when none were.
     */
    public JvmOptions jvmOptions()
    {
        return jvmOptions;
    }

    /**
     * Sets the worker JVM's heap size, system properties, agents or other flags; only before {@link #start()}.
     *
     * @param options the options, replacing any set before; never null.
     * @return this process, for chaining.
     * @throws IllegalStateException after {@link #start()}.
     * @throws NullPointerException  when {@code options} is null.
     */
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
     * @return this process, for chaining.
     * @throws IllegalStateException when no worker can be started: mp4j's worker or the target's class is not on
     *                               a class path a JVM can be given (the message says what was tried and the fix,
     *                               see {@link WorkerClassPath}), or the JVM cannot be run.
     */
    public synchronized Process start()
    {
        checkOpen("start");
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
        process.onExit().thenRun(this::reap);
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
        process.onExit().thenRun(this::reap);
        ProcessPayload.writeTo(session, slot, bytes);
        Logging.debug(() -> describe() + " started in reserve worker " + Printable.escape(reserve.name));
    }

    /**
     * Records the exit in the process table, as Python's {@code Popen.poll} sets {@code returncode}; once, by
     * whoever comes first: the exit's own callback, or a caller asking for the exit code. The callback runs on
     * the JDK's shared pool, which may be busy (a caller blocked on it, on a small machine): nothing waits for it.
     */
    private synchronized void reap()
    {
        if (exitCode != null)
        {
            return;
        }
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
        Logging.debug(() -> describe() + " exited with code " + code + (killed ? " (signal " + -code + ")" : ""));
        classDataSharing.workerExited();
        Children.reaped(this);
    }

    /** Name, pid, slot and daemon flag, for log lines. */
    private String describe()
    {
        return Printable.escape(name) + " (pid " + pid() + ", slot " + slot + (daemon ? ", daemon" : "") + ")";
    }

    /**
     * The worker JVM's process id.
     *
     * @throws IllegalStateException before {@link #start()} (Python's pid is None then) and after {@link #close()}.
     */
    @Override
    public long pid()
    {
        checkStarted("get the pid of");
        return process.pid();
    }

    /**
     * This process's slot in the session's process table (there is no Python counterpart: it is where
     * {@code launcher inspect} shows the process).
     *
     * @return the slot, from 1; -1 before {@link #start()}.
     */
    public int slot()
    {
        return slot;
    }

    @Override
    public boolean isAlive()
    {
        checkOpen("ask isAlive() of");
        return process != null && process.isAlive();
    }

    /**
     * The exit code: null while there is none yet (running, or not started: Python's None); the negative signal
     * number after a signal (-9, -15).
     *
     * @throws IllegalStateException after {@link #close()}.
     */
    @Override
    public Integer exitCode()
    {
        checkOpen("get the exit code of");
        if (process == null || process.isAlive())
        {
            return null;
        }
        if (exitCode == null)
        {
            reap(); // its exit callback may not have run yet: record the exit here
        }
        return exitCode;
    }

    /**
     * Waits until the process ends, as Python's {@code join()} without a timeout.
     *
     * @throws InterruptedException  when this thread is interrupted while waiting; the process runs on.
     * @throws IllegalStateException before {@link #start()} and after {@link #close()}.
     */
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

    /**
     * Python's {@code sentinel}: ready once the process has ended, for
     * {@link mp4j.queues.Connection#wait(java.util.Collection, long)} with connections and queues.
     *
     * @return a waitable that is ready once the worker JVM has exited.
     * @throws IllegalStateException before {@link #start()}, as Python's ValueError.
     */
    public Waitable sentinel()
    {
        checkStarted("sentinel");
        final java.lang.Process started = process;
        return () -> !started.isAlive();
    }

    /** Sends SIGTERM, as Python's {@code terminate()}: the exit code becomes -15. */
    public void terminate()
    {
        checkStarted("terminate");
        Doorbell.hangUp(process); // wakes a worker blocked at its doorbell, which would delay its exit
        process.destroy();
    }

    /** Sends SIGKILL, as Python's {@code kill()}: the exit code becomes -9. */
    public void kill()
    {
        checkStarted("kill");
        Doorbell.hangUp(process);
        process.destroyForcibly();
    }

    /**
     * Python's {@code close()}: releases what this object holds of the ended process (the pipe to its stdin, its
     * entry among this JVM's children); afterwards every method that asks about the process throws
     * IllegalStateException. Closing a process never started is allowed; closing it again does nothing.
     *
     * @throws IllegalStateException while it still runs (Python's ValueError): join() or terminate() it first.
     */
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        if (process != null)
        {
            if (process.isAlive())
            {
                throw new IllegalStateException("cannot close process " + name + " while it is still running; " +
                    "join() or terminate() it first");
            }
            exitCode(); // reaped, so its exit is recorded before its handles go
            try
            {
                process.getOutputStream().close();
            }
            catch (final IOException ex)
            {
                // the pipe is gone either way
            }
            Children.reaped(this);
        }
        closed = true;
    }

    private void checkStarted(final String what)
    {
        checkOpen(what);
        if (process == null)
        {
            throw new IllegalStateException("cannot " + what + " process " + name + ": it was not started");
        }
    }

    private void checkOpen(final String what)
    {
        if (closed)
        {
            throw new IllegalStateException("cannot " + what + " process " + name + ": it is closed (close() was " +
                "called)");
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
        if (closed)
        {
            return "<Process name='" + name + "' closed>";
        }
        if (process == null)
        {
            return "<Process name='" + name + "' initial" + (daemon ? " daemon" : "") + ">";
        }
        final String state = process.isAlive() ? "started" : "stopped exitcode=" + exitCode();
        return "<Process name='" + name + "' pid=" + process.pid() + " " + state + (daemon ? " daemon" : "") + ">";
    }
}
