package mp4j.process;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A wake-up through the kernel for a worker JVM that has nothing to do: the worker blocks reading its stdin, a pipe
 * from the process that started it, and that process writes one byte to wake it. The byte carries nothing; the work
 * itself is in the session's mapped memory, and whoever shares a doorbell keeps the protocol that makes a lost
 * wake-up impossible (the worker says it is asleep in mapped memory, then looks once more for work before it blocks;
 * the waker writes the work, then rings if the worker says it is asleep: see mp4j.pool.PoolLayout's {@code asleep}).
 * <p>
 * Why (measured on a 2-core machine beside two spinning processes, docs/benchmarks-analysis.md): a thread woken
 * by its own timer waits behind processes that use their whole time slice (a pool round trip whose ends parked read
 * 2 ms medians there), while one woken by a pipe write runs at once (a pipe round trip between two JVMs: 17 us
 * median). And a thread blocked in a read uses no CPU, where one that parks wakes every few milliseconds to look.
 * <p>
 * A worker's stdin is its doorbell alone ({@link #claimStdin}); Python's workers read nothing from stdin either.
 * When the starting process dies the pipe reads end-of-file, which wakes the worker too.
 */
public final class Doorbell
{
    private static final InputStream STDIN = new FileInputStream(FileDescriptor.in);
    private static final byte[] DRAIN = new byte[64];
    private static volatile boolean closed;

    private Doorbell()
    {
    }

    /**
     * Wakes {@code process}'s worker JVM if it waits at its doorbell (a byte it finds later wakes it once, for
     * nothing). Best effort: a process that has ended, or whose pipe is closed, is not woken.
     *
     * @param process a started worker process of this JVM
     */
    public static void ring(final Process process)
    {
        final java.lang.Process os = process.osProcess();
        if (os == null)
        {
            return;
        }
        try
        {
            final OutputStream stdin = os.getOutputStream();
            stdin.write(1);
            stdin.flush();
        }
        catch (final IOException ex)
        {
            // the worker is gone or going: whoever waits for it learns that from its process, not from here
        }
    }

    /**
     * In the worker JVM: blocks until the starting process rings, then takes every byte rung so far. Returns false,
     * at once from then on, when the doorbell cannot ring any more (the starting process closed the pipe or died):
     * the caller then waits some other way.
     *
     * @return true when rung.
     */
    public static boolean await()
    {
        if (closed)
        {
            return false;
        }
        try
        {
            if (STDIN.read(DRAIN) > 0)
            {
                return true;
            }
        }
        catch (final IOException ex)
        {
            // no pipe to read: as closed
        }
        closed = true;
        return false;
    }

    /**
     * In the worker JVM: whether the doorbell may still ring.
     *
     * @return false once {@link #await} found the pipe closed (it then returns false at once).
     */
    public static boolean canRing()
    {
        return !closed;
    }

    /**
     * In a worker JVM, at start: {@code System.in} becomes empty, so that nothing a task reads from stdin takes
     * the doorbell's bytes.
     */
    public static void claimStdin()
    {
        System.setIn(InputStream.nullInputStream());
    }

    /**
     * Closes the pipe to {@code process}'s stdin, waking it if it waits at its doorbell, before it is signalled: a
     * JVM exits up to 300 ms late while one of its threads is blocked in a read (HotSpot's VM_Exit waits for
     * threads in native code).
     */
    static void hangUp(final java.lang.Process process)
    {
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ex)
        {
            // closed already
        }
    }
}
