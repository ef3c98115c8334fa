package mp4j.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A process as the session file records it: pid plus start time, so that a pid reused by an unrelated process
 * after ours died is not mistaken for ours.
 */
public record ProcessIdentity(long pid, long startMillis)
{
    /** Tolerance for start times: the kernel counts them in clock ticks (10 ms). */
    private static final long START_TOLERANCE_MS = 20;

    public static ProcessIdentity current()
    {
        final ProcessHandle self = ProcessHandle.current();
        return new ProcessIdentity(self.pid(), startMillisOf(self));
    }

    public static ProcessIdentity of(final ProcessHandle handle)
    {
        return new ProcessIdentity(handle.pid(), startMillisOf(handle));
    }

    /** True while the process with this pid runs and is the one that started at {@code startMillis}. */
    public boolean isAlive()
    {
        if (pid <= 0)
        {
            return false;
        }
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || isZombie(pid))
        {
            return false;
        }
        if (startMillis == 0)
        {
            return true;
        }
        final long actualStart = startMillisOf(handle.get());
        return actualStart == 0 || Math.abs(actualStart - startMillis) <= START_TOLERANCE_MS;
    }

    /** A killed process not yet reaped by its parent still has a pid; it is dead all the same. */
    private static boolean isZombie(final long pid)
    {
        final Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try
        {
            final String text = Files.readString(stat);
            final int end = text.lastIndexOf(')');
            if (end < 0 || end + 2 >= text.length())
            {
                return false;
            }
            final char state = text.charAt(end + 2);
            return state == 'Z' || state == 'X';
        }
        catch (final IOException | RuntimeException ex)
        {
            return false; // no /proc (not Linux), or the process just went away: ProcessHandle decided already
        }
    }

    static long startMillisOf(final ProcessHandle handle)
    {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
