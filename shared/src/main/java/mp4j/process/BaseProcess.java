package mp4j.process;

/**
 * What every process looks like from the outside, as Python's {@code multiprocessing.process.BaseProcess}: a
 * {@link Process} this JVM started, {@link CurrentProcess#process()} (this JVM) and
 * {@link CurrentProcess#parent()} (the process that started it).
 */
public interface BaseProcess
{
    /** The process's name, as Python's {@code name}: "MainProcess" for the one that made the session. */
    String name();

    /** The operating system's process id, as Python's {@code pid}; 0 for a {@link Process} not yet started. */
    long pid();

    /** Whether the process goes with its parent, as Python's {@code daemon}. */
    boolean daemon();

    /** Whether the process runs, as Python's {@code is_alive()}. */
    boolean isAlive();

    /**
     * The exit code, as Python's {@code exitcode}: null while it runs (always, for the current process); the
     * negative signal number after a signal.
     */
    Integer exitCode();

    /**
     * Waits at most {@code timeoutMillis} for the process to end, as Python's {@code join(timeout)}; returns
     * whether it ended.
     *
     * @throws IllegalStateException when the process is the current one, which cannot wait for itself.
     */
    boolean join(long timeoutMillis) throws InterruptedException;
}
