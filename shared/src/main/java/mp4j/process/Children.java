package mp4j.process;

import mp4j.session.Printable;
import mp4j.session.SessionLifecycle;
import mp4j.util.Logging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The processes this JVM started and has not reaped, as Python's {@code process._children}; at exit, daemon
 * children are terminated and the others joined, as Python's {@code util._exit_function}.
 */
final class Children
{
    /** How long a daemon child gets to exit after SIGTERM before it is killed. */
    private static final long TERMINATE_GRACE_MS = 2_000;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean EXIT_ACTION = new AtomicBoolean();

    private Children()
    {
    }

    /**
     * Starts {@code owner}'s worker JVM; with {@code dieWithParent}, the kernel sends it SIGTERM when this process
     * dies (see {@link ParentDeathSignal}).
     */
    static java.lang.Process spawn(final Process owner, final List<String> command, final boolean dieWithParent)
        throws IOException
    {
        if (EXIT_ACTION.compareAndSet(false, true))
        {
            SessionLifecycle.atExit(SessionLifecycle.CHILDREN, Children::atExit);
        }
        Janitor.ensureStarted(owner.session()); // before the first child: one killed while booting leaves no file
        Logging.trace(() -> "starting " + Printable.escape(owner.name()) + ": " + Printable.escape(String.join(" ",
            command)));
        final ProcessBuilder builder = new ProcessBuilder(dieWithParent ? ParentDeathSignal.wrap(command) : command)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        // stdin stays a pipe the worker never reads: it notices its parent's death by polling (SessionLifecycle).
        final java.lang.Process process = ParentDeathSignal.start(builder);
        LIVE.add(owner);
        return process;
    }

    /** A reserve worker became {@code process}: from now on its daemon flag is the process's. */
    static void adopted(final Process reserve, final Process process)
    {
        LIVE.add(process);
        LIVE.remove(reserve);
    }

    static void reaped(final Process process)
    {
        LIVE.remove(process);
    }

    static List<Process> live()
    {
        return new ArrayList<>(LIVE);
    }

    private static void atExit()
    {
        final List<Process> children = live();
        if (!children.isEmpty())
        {
            Logging.debug(() -> "exiting: terminating daemon children and joining the others of " + children);
        }
        for (final Process child : children)
        {
            if (child.daemon() && child.isAlive())
            {
                child.terminate();
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TERMINATE_GRACE_MS);
        for (final Process child : children)
        {
            try
            {
                if (child.daemon())
                {
                    final long left = Math.max(0, deadline - System.nanoTime());
                    if (!child.osProcess().waitFor(left, TimeUnit.NANOSECONDS))
                    {
                        child.kill();
                        child.osProcess().waitFor();
                    }
                }
                else
                {
                    child.osProcess().waitFor();
                }
                child.exitCode(); // waits for the reaper to record the exit
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            catch (final Exception ex)
            {
                // the process is gone either way
            }
        }
    }
}
