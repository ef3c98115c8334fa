package mp4j.process;

/**
 * What every process looks like from the outside, as Python's {@code multiprocessing.process.BaseProcess}: a
 * {@link Process} this JVM started, {@link CurrentProcess#process()} (this JVM) and
 * {@link CurrentProcess#parent()} (the process that started it).
 */
public interface BaseProcess
{
    /**
     * The process's name, as Python's {@code name}.
     *
     * @return the name: "MainProcess" for the one that made the session.
     */
    String name();

    /**
     * The operating system's process id, as Python's {@code pid}.
     *
     * @return the pid; 0 for a {@link Process} not yet started.
     */
    long pid();

    /**
     * Whether the process goes with its parent, as Python's {@code daemon}.
     *
     * @return true for a daemon process.
     */
    boolean daemon();

    /**
     * Whether the process runs, as Python's {@code is_alive()}.
     *
     * @return true while it runs.
     */
    boolean isAlive();

    /**
     * The exit code, as Python's {@code exitcode}: null while it runs (always, for the current process); the
     * negative signal number after a signal.
     *
     * @return the exit code, or null.
     */
    Integer exitCode();

    /**
     * Waits at most {@code timeoutMillis} for the process to end, as Python's {@code join(timeout)}; returns
     * whether it ended.
     *
     * @param timeoutMillis the longest wait, in milliseconds.
     * @return true when the process has ended.
     * @throws InterruptedException  when the waiting thread is interrupted.
     * @throws IllegalStateException when the process is the current one, which cannot wait for itself.
     */
    boolean join(long timeoutMillis) throws InterruptedException;
}
