package mp4j.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Has the kernel send SIGTERM to a daemon worker the moment its parent dies ({@code prctl(PR_SET_PDEATHSIG)},
 * set by util-linux's {@code setpriv --pdeathsig} just before it executes {@code java}).
 * <p>
 * Why: a worker's keeper thread polls its parent every 10 ms, but only once the JVM has booted. A parent killed
 * while its daemon workers were still booting (100-500 ms on two busy cores) left them running until they got
 * that far, and a worker on a loaded machine could take 150-250 ms from the poll to its exit. The kernel's
 * signal needs neither: measured over chaos rounds on two cores with two spinning processes beside them, the
 * last daemon was gone a median 11 ms after its parent (43 ms at most) instead of 31 ms (165 ms at most), and
 * ones still booting die at once. SIGTERM, not SIGKILL, so that a booted worker runs its shutdown hook (records its
 * exit, and the last process of the session removes the session file); exit status 143, as the keeper's.
 * <p>
 * Two rules follow from how the kernel does it:
 * <ul>
 *   <li>The signal fires when the <em>thread</em> that started the child ends, not only the process. Every worker
 *       is therefore started from one long-lived thread, {@code mp4j-spawner}, never from a caller's thread
 *       (a pool's handler or a user's short-lived thread would otherwise take its workers with it).</li>
 *   <li>Only daemon workers get it: a non-daemon worker finishes its work after its parent dies, as in Python,
 *       and a reserve worker may later be adopted as a non-daemon.</li>
 * </ul>
 * Where {@code setpriv} is missing (not Linux, or a minimal image), the keeper's polling is all there is.
 */
public final class ParentDeathSignal
{
    private static final String SETPRIV = findSetpriv();
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "mp4j-spawner");
        thread.setDaemon(true);
        return thread;
    });

    private ParentDeathSignal()
    {
    }

    /**
     * Whether this machine can have the kernel signal a child when its parent dies.
     *
     * @return true where {@code setpriv --pdeathsig} was found (Linux with util-linux).
     */
    public static boolean available()
    {
        return SETPRIV != null;
    }

    /** {@code command}, run so that it gets SIGTERM when this process dies (unchanged where that is unavailable). */
    static List<String> wrap(final List<String> command)
    {
        if (SETPRIV == null)
        {
            return command;
        }
        final List<String> wrapped = new ArrayList<>(command.size() + 4);
        wrapped.add(SETPRIV);
        wrapped.add("--pdeathsig");
        wrapped.add("TERM");
        wrapped.add("--");
        wrapped.addAll(command);
        return wrapped;
    }

    /** Starts {@code builder} on the spawner thread, which lives as long as this JVM (see the class comment). */
    static java.lang.Process start(final ProcessBuilder builder) throws IOException
    {
        final Future<java.lang.Process> started = SPAWNER.submit(builder::start);
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    // Not interruptible: the process is being started either way, and must not be lost.
                    return started.get();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof IOException)
            {
                throw (IOException)ex.getCause();
            }
            throw new IllegalStateException("cannot start " + builder.command().get(0) + ": " + ex.getCause(),
                ex.getCause());
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** util-linux's setpriv, if it is here and knows {@code --pdeathsig} (util-linux 2.33 and later). */
    private static String findSetpriv()
    {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux") ||
            Boolean.getBoolean("mp4j.noParentDeathSignal"))
        {
            return null;
        }
        for (final String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"))
        {
            final Path candidate = Path.of(dir, "setpriv");
            if (Files.isExecutable(candidate) && supportsParentDeathSignal(candidate.toString()))
            {
                return candidate.toString();
            }
        }
        return null;
    }

    private static boolean supportsParentDeathSignal(final String setpriv)
    {
        try
        {
            final java.lang.Process probe = new ProcessBuilder(setpriv, "--pdeathsig", "TERM", "--", "true")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            if (!probe.waitFor(5, TimeUnit.SECONDS))
            {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
