package mp4j.session;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and removes session files nobody can use any more: creator dead and no live process in the table.
 * <p>
 * A session's last process removes its file, but when every process of a session dies before it runs any code of
 * ours (a parent killed while its daemon workers were still booting, or after they had all exited), nobody is left
 * to. Like CPython's resource tracker, but without a process of its own: every new session sweeps such files away
 * as it starts ({@link Session#current()}), and so do the launcher's start and {@code launcher clean}.
 */
public final class StaleSessions
{
    /** A session younger than this may still be being written by its creator. */
    private static final long YOUNG_MS = 5_000;

    private StaleSessions()
    {
    }

    public record Removed(Path file, String reason)
    {
    }

    /**
     * @param all also remove files that are not valid sessions (foreign, corrupt, truncated) but carry our name.
     */
    public static List<Removed> clean(final boolean all)
    {
        final List<Removed> removed = new ArrayList<>();
        for (final Path file : SessionFiles.list())
        {
            final String reason = staleReason(file, all);
            if (reason != null)
            {
                try
                {
                    final String blocks = mp4j.sharedmemory.SharedMemoryRecords.unlinkLeftovers(file);
                    Files.deleteIfExists(file);
                    SessionFiles.deleteSideFiles(file); // a queue's spill segments
                    removed.add(new Removed(file, reason + blocks));
                }
                catch (final IOException ex)
                {
                    // another cleaner got there first, or it is not ours to remove
                }
            }
        }
        return removed;
    }

    public static void cleanQuietly()
    {
        try
        {
            clean(false);
        }
        catch (final RuntimeException ex)
        {
            // a failed cleanup must not stop the command the user asked for
        }
    }

    /** Why {@code file} should go, or null to keep it. */
    public static String staleReason(final Path file, final boolean all)
    {
        try (Session session = Session.openReadOnly(file))
        {
            if (session.isStale())
            {
                return "creator pid " + session.creator().pid() + " is gone and no process of the session is alive";
            }
            return null;
        }
        catch (final SessionFileException ex)
        {
            final long creator = creatorPidInName(file);
            if (creator > 0 && ProcessHandle.of(creator).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE)
            {
                // its creator died while writing it (killed between creating and stamping the file)
                return "unfinished session of pid " + creator + ", which is gone (" + ex.getMessage() + ")";
            }
            if (!all || isYoung(file))
            {
                return null;
            }
            return "not a usable session: " + ex.getMessage();
        }
    }

    /** The pid in a session file's name, {@code mp4j-<pid>-<hex>}, or -1 when the name is not of that form. */
    public static long creatorPidInName(final Path file)
    {
        final String name = file.getFileName().toString();
        final int dash = name.indexOf('-', "mp4j-".length());
        if (!name.startsWith("mp4j-") || dash < 0)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(name.substring("mp4j-".length(), dash));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static boolean isYoung(final Path file)
    {
        try
        {
            return System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis() < YOUNG_MS;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
