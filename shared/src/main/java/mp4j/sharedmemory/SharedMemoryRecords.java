package mp4j.sharedmemory;

import mp4j.session.DirectoryEntry;
import mp4j.session.FileOwner;
import mp4j.session.FileUsers;
import mp4j.session.ObjectKind;
import mp4j.session.Printable;
import mp4j.session.Session;
import mp4j.session.SessionFileException;
import mp4j.session.SessionHook;
import mp4j.util.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static mp4j.sharedmemory.SharedMemoryRecordLayout.CREATOR_PID_OFFSET;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.CREATOR_START_OFFSET;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.FLAG_MANAGER;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.INODE_OFFSET;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.INODE_UNKNOWN;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.LIVE;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.OWNER_OFFSET;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.RECORD_LENGTH;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.SIZE_OFFSET;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.STATE_OFFSET;
import static mp4j.sharedmemory.SharedMemoryRecordLayout.UNLINKED;

/**
 * The session's record of the blocks a {@link SharedMemoryManager} made, so that nobody leaks them: the blocks
 * themselves carry no header of ours (Python must see only its bytes), so what to remove when a process dies is
 * written here, in the session file, which outlives the process.
 * <p>
 * Each record is a directory entry of kind {@link ObjectKind#SHARED_MEMORY} named after the block (a manager
 * has one too, named {@code SharedMemoryManager-<index>}), laid out as {@link SharedMemoryRecordLayout}.
 * The entry's {@code count} is the block size too, so {@code launcher inspect} shows it without decoding.
 * Cleanup: {@link SharedMemoryManager#close()} unlinks its own blocks; when the session ends (its creator
 * exits, or the last process of a session whose creator was killed) and when {@code launcher clean} removes a
 * stale session, {@link #unlinkLeftovers} unlinks every block still LIVE (a sweep: only the current user's blocks
 * that no live process uses).
 */
public final class SharedMemoryRecords
{
    private SharedMemoryRecords()
    {
    }

    /**
     * How the session removes the blocks it records when it ends or is found stale, without knowing of shared
     * memory: named in {@code META-INF/services/mp4j.session.SessionHook}.
     */
    public static final class Leftovers implements SessionHook
    {
        @Override
        public void ending(final Session session)
        {
            unlinkLeftovers(session);
        }

        @Override
        public List<String> inUse(final Path sessionFile)
        {
            return leftoversInUse(sessionFile);
        }

        @Override
        public String removeLeftovers(final Path sessionFile)
        {
            return unlinkLeftovers(sessionFile);
        }
    }

    /** Records a block made by the manager at directory index {@code owner} (-1: the entry is a manager's). */
    static DirectoryEntry record(final Session session, final String name, final int owner, final long size,
        final long inode, final int flags)
    {
        final DirectoryEntry entry = session.directory().allocate(
            ObjectKind.SHARED_MEMORY, name, 0, RECORD_LENGTH, size, flags);
        final AtomicBuffer buffer = session.buffer();
        final int at = (int)entry.offset();
        final ProcessIdentity self = ProcessIdentity.current();
        buffer.putLong(at + OWNER_OFFSET, owner);
        buffer.putLong(at + INODE_OFFSET, inode);
        buffer.putLong(at + CREATOR_PID_OFFSET, self.pid());
        buffer.putLong(at + CREATOR_START_OFFSET, self.startMillis());
        buffer.putLong(at + SIZE_OFFSET, size);
        buffer.putIntOrdered(at + STATE_OFFSET, LIVE);
        return entry;
    }

    /**
     * Completes a record made before its file: from now on cleanup removes only that very file, and the block
     * counts as made ({@link #isMade}). Where the file system gives no inode, -1: made, removed by name.
     */
    static void setInode(final Session session, final DirectoryEntry entry, final long inode)
    {
        session.buffer().putLongVolatile((int)entry.offset() + INODE_OFFSET, inode != 0 ? inode : INODE_UNKNOWN);
    }

    /** Marks a record UNLINKED without touching any file: for a block that was never made, or not by us. */
    static void release(final Session session, final DirectoryEntry entry)
    {
        claim(session, entry);
    }

    static boolean isBlock(final DirectoryEntry entry)
    {
        return entry.kind() == ObjectKind.SHARED_MEMORY && (entry.flags() & FLAG_MANAGER) == 0 &&
            entry.length() >= RECORD_LENGTH;
    }

    static int state(final Session session, final DirectoryEntry entry)
    {
        return session.buffer().getIntVolatile((int)entry.offset() + STATE_OFFSET);
    }

    /** Whether the block's file was made and handed out: its maker records the inode before it returns the block. */
    static boolean isMade(final Session session, final DirectoryEntry entry)
    {
        return session.buffer().getLongVolatile((int)entry.offset() + INODE_OFFSET) != 0;
    }

    static long owner(final Session session, final DirectoryEntry entry)
    {
        return session.buffer().getLong((int)entry.offset() + OWNER_OFFSET);
    }

    /** Claims the record (LIVE to UNLINKED); false when another process got there first. */
    static boolean claim(final Session session, final DirectoryEntry entry)
    {
        return session.buffer().compareAndSetInt((int)entry.offset() + STATE_OFFSET, LIVE, UNLINKED);
    }

    /**
     * Unlinks every block this session still records as LIVE, and marks them UNLINKED when the session is
     * writable: the session is ending, so nobody can ask for them any more.
     *
     * @return the names of the blocks removed.
     */
    public static List<String> unlinkLeftovers(final Session session)
    {
        final List<String> removed = new ArrayList<>();
        for (final DirectoryEntry entry : session.directory().entries())
        {
            if (!isBlock(entry) || !session.directory().isInBounds(entry) || state(session, entry) != LIVE)
            {
                continue;
            }
            if (!session.isReadOnly() && !claim(session, entry))
            {
                continue;
            }
            if (unlinkIfSame(entry.name(), session.buffer().getLong((int)entry.offset() + INODE_OFFSET)))
            {
                removed.add(entry.name());
            }
        }
        return removed;
    }

    /** A block a session still records as LIVE, and is still there (same inode). */
    private record Leftover(String name, Path path, long inode)
    {
    }

    private static List<Leftover> leftovers(final Session session)
    {
        final List<Leftover> leftovers = new ArrayList<>();
        for (final DirectoryEntry entry : session.directory().entries())
        {
            if (!isBlock(entry) || !session.directory().isInBounds(entry) || state(session, entry) != LIVE ||
                SharedMemoryNames.problem(entry.name()) != null)
            {
                continue; // a corrupt record never becomes a path
            }
            final Path path = SharedMemoryNames.directory().resolve(entry.name());
            final long inode = session.buffer().getLong((int)entry.offset() + INODE_OFFSET);
            if (isSameFile(path, inode))
            {
                leftovers.add(new Leftover(entry.name(), path, inode));
            }
        }
        return leftovers;
    }

    /**
     * The current user's blocks a stale session still records that a live process maps or holds open, each as
     * "psm_a (in use by pid 1 (python3))": the sweep keeps such a session, the record of what to remove, until
     * they are free. Empty when there are none or the file is no session.
     */
    public static List<String> leftoversInUse(final Path sessionFile)
    {
        final List<String> inUse = new ArrayList<>();
        try (Session session = Session.openReadOnly(sessionFile))
        {
            FileUsers users = null;
            for (final Leftover leftover : leftovers(session))
            {
                if (FileOwner.isCurrentUsers(leftover.path()))
                {
                    users = users != null ? users : FileUsers.scan(SharedMemoryNames.directory());
                    final List<Long> pids = users.pids(leftover.path());
                    if (!pids.isEmpty())
                    {
                        inUse.add(leftover.name() + " (in use by " + FileUsers.describe(pids) + ")");
                    }
                }
            }
        }
        catch (final SessionFileException | IllegalArgumentException ex)
        {
            // not a usable session: it names no block we would remove
        }
        return inUse;
    }

    /**
     * For the sweep of a stale session ({@code launcher clean}, and every start): unlinks the blocks the session
     * file still records, reading it read-only, but only those of the current user that no live process maps or
     * holds open (the session being stale does not make a block unused: its records may be damaged, or another
     * program may have attached to it by name). Another user's block is never removed; it is named in the result.
     *
     * @return " (unlinked shared memory blocks: a, b)", with the blocks kept and why, or "" when there were none
     *         or the file is no session.
     */
    public static String unlinkLeftovers(final Path sessionFile)
    {
        final List<String> removed = new ArrayList<>();
        final List<String> kept = new ArrayList<>();
        try (Session session = Session.openReadOnly(sessionFile))
        {
            FileUsers users = null;
            for (final Leftover leftover : leftovers(session))
            {
                if (!FileOwner.isCurrentUsers(leftover.path()))
                {
                    kept.add(leftover.name() + " (it belongs to " + Printable.escape(
                        String.valueOf(FileOwner.name(leftover.path()))) + ")");
                    continue;
                }
                users = users != null ? users : FileUsers.scan(SharedMemoryNames.directory());
                final List<Long> pids = users.pids(leftover.path());
                if (!pids.isEmpty())
                {
                    kept.add(leftover.name() + " (in use by " + FileUsers.describe(pids) + ")");
                    continue;
                }
                if (unlinkIfSame(leftover.name(), leftover.inode()))
                {
                    removed.add(leftover.name());
                }
            }
        }
        catch (final SessionFileException | IllegalArgumentException ex)
        {
            return ""; // not a usable session: its directory cannot be trusted to name blocks
        }
        final StringBuilder text = new StringBuilder();
        if (!removed.isEmpty())
        {
            text.append(" (unlinked shared memory ").append(removed.size() == 1 ? "block " : "blocks ")
                .append(String.join(", ", removed)).append(')');
        }
        if (!kept.isEmpty())
        {
            text.append(" (left shared memory ").append(kept.size() == 1 ? "block " : "blocks ")
                .append(String.join(", ", kept)).append(')');
        }
        return text.toString();
    }

    private static boolean isSameFile(final Path path, final long inode)
    {
        try
        {
            return Files.exists(path, LinkOption.NOFOLLOW_LINKS) && (inode == 0 || inode(path) == inode);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** Removes /dev/shm/{@code name} if it is still the file with {@code inode} (0 or -1: not known, remove). */
    static boolean unlinkIfSame(final String name, final long inode)
    {
        if (SharedMemoryNames.problem(name) != null)
        {
            return false; // a corrupt record never becomes a path
        }
        final Path path = SharedMemoryNames.directory().resolve(name);
        try
        {
            if (inode > 0 && inode(path) != inode)
            {
                return false;
            }
            Files.delete(path);
            return true;
        }
        catch (final NoSuchFileException ex)
        {
            return false; // unlinked already, by its user or the CLI
        }
        catch (final IOException ex)
        {
            System.err.println("mp4j: cannot unlink shared memory block " + path + ": " + ex.getMessage());
            return false;
        }
    }

    /** The file's inode number, or 0 where the file system does not say. */
    static long inode(final Path path) throws IOException
    {
        try
        {
            final Object ino = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return ino instanceof Number n ? n.longValue() : 0;
        }
        catch (final UnsupportedOperationException | IllegalArgumentException ex)
        {
            return 0;
        }
    }
}
