package mp4j.session;

import mp4j.util.Logging;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and removes session files nobody can use any more: creator dead and no live process in the table.
 *
 * <h2>How a session's files go</h2>
 * What a session leaves in {@code /dev/shm} is its file, the file's side files ({@link SessionFiles#sideFile}: a
 * queue's spill segments) and what the floors above record in it (a {@link SessionHook}: the shared memory blocks
 * of a manager never closed). Three removers, each for what the one before cannot reach, remove all of it, in that
 * order: what the hooks answer for first, as the file is its record.
 * <ol>
 * <li><b>Last one out</b> ({@link SessionLifecycle}): the creator removes everything at its exit; when the creator
 * was killed, the last worker to leave does ({@link SessionLifecycle#leaveSession}). This is the usual way.</li>
 * <li><b>The janitor</b> ({@code mp4j.process.Janitor}): when every process of a session dies before any code of
 * ours runs in it (a parent killed while its daemon workers were still booting: the kernel's SIGTERM ends them),
 * nobody is left to be last. Like CPython's resource tracker, it is a process of its own: a shell started beside
 * the creator's first child that waits, costing nothing, for the creator's end, and then removes the file by the
 * rules of the sweep below ({@link #removeIfStale}). Linux only; off with {@code -Dmp4j.janitor=false}.</li>
 * <li><b>The sweep</b> (this class): whatever both missed (no janitor: not Linux, turned off, or killed with its
 * session's whole process group; files kept because they were still in use) goes at the next mp4j start: every
 * new session sweeps as it starts ({@link Session#current()}), and so do the launcher's start and
 * {@code launcher clean}.</li>
 * </ol>
 * What the janitor and a sweep never remove, whatever the file's header says (it may be damaged, or lie):
 * <ul>
 * <li>another user's file: it may be that user's live work, and Python's resource tracker, too, never touches
 * what it did not register. Only {@code launcher clean --other-users}, run by root, removes those;</li>
 * <li>a file any live process still maps or holds open ({@link FileUsers}), a worker whose parent was killed,
 * say, or an inspector;</li>
 * <li>what the session answers for outside its file, under the same two rules: while one of the user's blocks is
 * in use, the session file stays too, so that a later sweep still knows to remove it.</li>
 * </ul>
 */
public final class StaleSessions
{
    /** A session younger than this may still be being written by its creator. */
    private static final long YOUNG_MS = 5_000;

    private StaleSessions()
    {
    }

    /**
     * A session file a sweep removed.
     *
     * @param file   the removed file
     * @param reason why it was stale, and the shared memory blocks removed with it, as {@code launcher clean} prints
     */
    public record Removed(Path file, String reason)
    {
    }

    /**
     * A session file that looks stale, and what, if anything, keeps it.
     *
     * @param file       the session file
     * @param reason     why it looks stale ("creator pid 123 is gone and no process of the session is alive", ...)
     * @param owner      the file's owner, as {@code ls -l} shows it.
     * @param othersFile true when it belongs to another user than the one running this process.
     * @param usedBy     live processes that map or hold open the file: while there are any, it stays.
     * @param blocksInUse the user's shared memory blocks the session records that a live process still uses:
     *                    the session stays too, as the record of what a later sweep removes once they are free.
     */
    public record Stale(Path file, String reason, String owner, boolean othersFile, List<Long> usedBy,
        List<String> blocksInUse)
    {
        /**
         * Why the file stays although it looks stale.
         *
         * @param otherUsers whether the sweep was asked to remove other users' files too
         * @return the reason, for a person, or null when the file may go
         */
        public String keptBecause(final boolean otherUsers)
        {
            if (!usedBy.isEmpty())
            {
                return "still in use by " + FileUsers.describe(usedBy);
            }
            if (!blocksInUse.isEmpty())
            {
                return "its shared memory " + (blocksInUse.size() == 1 ? "block " : "blocks ") +
                    String.join(", ", blocksInUse) + " still in use; a later sweep removes it and them once free";
            }
            if (othersFile && !otherUsers)
            {
                return "it belongs to " + owner + ", another user; mp4j removes only its own user's files " +
                    (FileOwner.isRoot() ? "unless you ask with 'launcher clean --other-users'" :
                        "(only " + owner + " or root can remove it)");
            }
            return null;
        }
    }

    /**
     * Removes the current user's stale session files that no live process uses, and the blocks they record.
     *
     * @param all also remove files that are not valid sessions (foreign, corrupt, truncated) but carry our name.
     * @return what was removed, possibly nothing
     */
    public static List<Removed> clean(final boolean all)
    {
        final List<Removed> removed = new ArrayList<>();
        for (final Stale stale : find(all, false))
        {
            if (stale.keptBecause(false) == null)
            {
                try
                {
                    removed.add(remove(stale));
                }
                catch (final IOException | SessionFileException ex)
                {
                    // another cleaner got there first, or it is not ours to remove
                }
            }
        }
        return removed;
    }

    /**
     * {@link #clean clean(false)}, ignoring every failure: a failed cleanup must not stop what the user asked for.
     * Run before a main program creates its session.
     */
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

    /**
     * The session files that look stale, with what keeps each; nothing is removed.
     *
     * @param all        also files named like sessions that are not usable ones.
     * @param othersToo  also look at other users' files (judged by the creator pid in their name, as their
     *                   contents are not ours to read); they are reported, and removed only on request.
     * @return the stale files found, each with what keeps it, if anything
     */
    public static List<Stale> find(final boolean all, final boolean othersToo)
    {
        final List<Path> files = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();
        final List<Boolean> others = new ArrayList<>();
        for (final Path file : SessionFiles.list())
        {
            final boolean othersFile = !FileOwner.isCurrentUsers(file);
            if (othersFile && !othersToo)
            {
                continue; // not even opened: it is not ours
            }
            final String reason = othersFile ? othersStaleReason(file) : staleReason(file, all);
            if (reason != null)
            {
                files.add(file);
                reasons.add(reason);
                others.add(othersFile);
            }
        }
        final List<Stale> stale = new ArrayList<>();
        if (files.isEmpty())
        {
            return stale; // the common case: no scan of /proc at all
        }
        final FileUsers users = FileUsers.scan(SessionFiles.directory());
        for (int i = 0; i < files.size(); i++)
        {
            stale.add(stale(files.get(i), reasons.get(i), others.get(i), users));
        }
        return stale;
    }

    private static Stale stale(final Path file, final String reason, final boolean othersFile, final FileUsers users)
    {
        final List<Long> usedBy = users.pids(file);
        return new Stale(file, reason, String.valueOf(FileOwner.name(file)), othersFile, usedBy,
            othersFile || !usedBy.isEmpty() ? List.of() : SessionHooks.inUse(file));
    }

    /**
     * The sweep of one file, the current user's: removes it (as {@link #remove}) if it is stale and nothing keeps
     * it. What the janitor does once its session's processes are gone.
     *
     * @param file a session file; another user's stays
     * @return what was removed, or null when the file stays (not stale, kept, or removed by someone else first).
     */
    public static Removed removeIfStale(final Path file)
    {
        final String reason = staleReason(file, false);
        if (reason == null || !FileOwner.isCurrentUsers(file))
        {
            return null;
        }
        final Stale stale = stale(file, reason, false, FileUsers.scan(file.toAbsolutePath().getParent()));
        if (stale.keptBecause(false) != null)
        {
            return null;
        }
        try
        {
            return remove(stale);
        }
        catch (final IOException | SessionFileException ex)
        {
            return null; // another cleaner got there first, or it is not ours to remove
        }
    }

    /**
     * Removes a stale session file, its side files and what it answers for ({@link SessionHook}) that is its
     * user's and unused.
     *
     * @param stale a file {@link #find} reported
     * @return what was removed
     * @throws IOException when the file cannot be removed (another user's, as a non-root user, for instance).
     */
    public static Removed remove(final Stale stale) throws IOException
    {
        final String blocks = stale.othersFile() ? "" : SessionHooks.removeLeftovers(stale.file());
        try
        {
            Files.delete(stale.file());
        }
        catch (final NoSuchFileException ex)
        {
            throw ex; // another cleaner got there first
        }
        catch (final IOException ex)
        {
            if (ex instanceof AccessDeniedException || stale.othersFile())
            {
                // EACCES, or EPERM from a sticky folder such as /dev/shm ("Operation not permitted")
                throw new AccessDeniedException(stale.file().toString(), null, "permission denied: it belongs to " +
                    stale.owner() + ", and " + stale.file().getParent() + " lets only a file's owner or root " +
                    "remove it");
            }
            throw ex;
        }
        SessionFiles.deleteSideFiles(stale.file()); // a queue's spill segments
        final Removed removed = new Removed(stale.file(), stale.reason() + blocks);
        Logging.info(() -> "removed stale session " + Printable.escape(removed.file().toString()) + ": " +
            Printable.escape(removed.reason()));
        return removed;
    }

    /**
     * Why {@code file}, the current user's, should go: its creator and every process are gone, or its creator died
     * before it was finished.
     *
     * @param file a file named like a session
     * @param all  also call a file stale that is not a usable session (foreign, corrupt, truncated), unless it is
     *             young enough to be still being written
     * @return the reason, for a person, or null to keep it
     */
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
            if (creator > 0 && isGone(creator))
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

    /**
     * Why another user's {@code file} looks stale, or null. Its contents are not read (they are that user's, and
     * a wider mode would let anyone forge them): the creator pid in its name is gone and it is not new. That it
     * is no longer in use is checked apart, for every file ({@link FileUsers}).
     */
    private static String othersStaleReason(final Path file)
    {
        final long creator = creatorPidInName(file);
        if (creator <= 0 || !isGone(creator) || isYoung(file))
        {
            return null;
        }
        return "creator pid " + creator + " (from its name) is gone";
    }

    private static boolean isGone(final long pid)
    {
        return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * The pid in a session file's name, {@code mp4j-<pid>-<hex>}.
     *
     * @param file a path whose file name is looked at; the file is not read
     * @return the pid, or -1 when the name is not of that form
     */
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
