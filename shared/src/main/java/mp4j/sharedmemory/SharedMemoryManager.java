package mp4j.sharedmemory;

import mp4j.session.DirectoryEntry;
import mp4j.session.Session;
import mp4j.session.SessionLifecycle;
import mp4j.session.SharedObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CPython's {@code multiprocessing.managers.SharedMemoryManager}: hands out {@link SharedMemory} blocks and
 * {@link ShareableList}s and unlinks all of them when closed.
 * <pre>{@code
 * try (SharedMemoryManager smm = new SharedMemoryManager()) {     // Python: with SharedMemoryManager() as smm:
 *     SharedMemory shm = smm.sharedMemory(1 << 20);                //   shm = smm.SharedMemory(1 << 20)
 *     ShareableList sl = smm.shareableList(List.of(1L, "a"));      //   sl = smm.ShareableList([1, "a"])
 *     new Process(args -> ..., shm, sl, smm).start();              // workers attach by name
 * }                                                                // every block of the manager is unlinked
 * }</pre>
 * No server process is needed: the manager lives in the session file (the current session, started on first
 * use), and records each block it makes there ({@link SharedMemoryRecords}). A worker that receives the manager
 * can make blocks with it too; {@link #close()}, in any process, unlinks every block of the manager. If the
 * process that holds the manager dies before closing it, the session's end unlinks its blocks (the creator's
 * exit, or {@code launcher clean} for a session whose processes are all dead): nothing is left in /dev/shm, where
 * CPython's resource tracker would warn about leaked blocks.
 * <p>
 * Each block takes one entry of the session's object directory (1024 by default) for the session's life.
 */
public final class SharedMemoryManager extends SharedObject implements AutoCloseable
{
    private static final long serialVersionUID = 1L;

    /** A manager in the current session (created on first use), as {@code SharedMemoryManager(); start()}. */
    public SharedMemoryManager()
    {
        this(Session.current());
    }

    /** A manager in {@code session}. */
    public SharedMemoryManager(final Session session)
    {
        super(session, newEntry(session));
    }

    /** Attaches to a manager passed to this process (called through {@code SharedObjectRef}). */
    SharedMemoryManager(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
    }

    /**
     * The manager listed at directory index {@code index} of {@code session}, as a process that receives it gets it:
     * for objects that make their blocks through a manager they name by index (an {@code mp4j.managers.Manager}).
     */
    public static SharedMemoryManager attach(final Session session, final int index)
    {
        final DirectoryEntry entry = session.directory().entry(index);
        if (entry == null || (entry.flags() & SharedMemoryRecordLayout.FLAG_MANAGER) == 0 ||
            entry.length() < SharedMemoryRecordLayout.RECORD_LENGTH || !session.directory().isInBounds(entry))
        {
            throw new IllegalStateException("directory entry " + index + " of " + session.name() +
                " is not a SharedMemoryManager");
        }
        return new SharedMemoryManager(session, entry);
    }

    private static DirectoryEntry newEntry(final Session session)
    {
        final int index = session.directory().used(); // the name is cosmetic; the entry index is the identity
        return SharedMemoryRecords.record(session, "SharedMemoryManager-" + index, -1, 0, 0,
            SharedMemoryRecordLayout.FLAG_MANAGER);
    }

    /** Python's {@code start()}: the manager is ready once constructed; returns this for chaining. */
    public SharedMemoryManager start()
    {
        checkOpen();
        return this;
    }

    /**
     * A new block of {@code size} bytes with a random {@code psm_} name, as {@code smm.SharedMemory(size)}.
     * <p>
     * The block is recorded in the session before its file exists, so a process killed at any point leaves a
     * record that the session's cleanup follows: a record without a file costs nothing, a file without a record
     * would leak. Until the file is made the record's inode is 0 ("remove whatever has this name"), which is
     * safe because the random name is ours; a name that turns out to be taken is released, never unlinked.
     */
    public SharedMemory sharedMemory(final long size)
    {
        checkOpen();
        SharedMemory.checkSize(size);
        if (!SessionLifecycle.beginMakingOutside())
        {
            throw new IllegalStateException(name() + ": this process is exiting and has left its mp4j session; " +
                "it makes no new shared memory block (make blocks before exit)");
        }
        try
        {
            return newBlock(size);
        }
        finally
        {
            SessionLifecycle.doneMakingOutside();
        }
    }

    private SharedMemory newBlock(final long size)
    {
        for (int attempt = 0; ; attempt++)
        {
            final String name = SharedMemoryNames.random();
            final DirectoryEntry block = SharedMemoryRecords.record(session, name, entry.index(), size, 0, 0);
            final SharedMemory shm;
            try
            {
                shm = SharedMemory.create(name, size);
            }
            catch (final RuntimeException ex)
            {
                SharedMemoryRecords.release(session, block); // the file is not ours, or was never made
                if (ex instanceof SharedMemoryException sme && sme.isExists() && attempt < 100)
                {
                    continue;
                }
                throw ex;
            }
            return track(shm, block);
        }
    }

    /** A new list of {@code items}, as {@code smm.ShareableList(sequence)}. */
    public ShareableList shareableList(final List<?> items)
    {
        checkOpen();
        return ShareableList.create(items, this::sharedMemory);
    }

    private SharedMemory track(final SharedMemory shm, final DirectoryEntry block)
    {
        try
        {
            SharedMemoryRecords.setInode(session, block, SharedMemoryRecords.inode(shm.path()));
            if (isClosed() && SharedMemoryRecords.claim(session, block))
            {
                throw new IllegalStateException(name() + " was shut down while it made block " + shm.name());
            }
            return shm;
        }
        catch (final IOException | RuntimeException ex)
        {
            shm.close();
            shm.unlink(); // a block its manager no longer answers for would outlive everything: do not hand it out
            SharedMemoryRecords.release(session, block);
            if (ex instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            throw new SharedMemoryException("cannot read the inode of " + shm.path(), (IOException)ex);
        }
    }

    /**
     * Names of this manager's blocks not unlinked yet, as {@code smm}'s list of segments: blocks made and handed
     * out. A block still being made is not one yet, nor is the record a process killed while making its block left
     * behind (recorded first, so that the session's end removes whatever it got to make; see
     * {@link #sharedMemory}): attaching to either would fail with "does not exist".
     */
    public List<String> blocks()
    {
        final List<String> names = new ArrayList<>();
        for (final DirectoryEntry block : ownBlocks())
        {
            if (SharedMemoryRecords.state(session, block) == SharedMemoryRecordLayout.LIVE &&
                SharedMemoryRecords.isMade(session, block))
            {
                names.add(block.name());
            }
        }
        return names;
    }

    private List<DirectoryEntry> ownBlocks()
    {
        final List<DirectoryEntry> blocks = new ArrayList<>();
        for (final DirectoryEntry candidate : session.directory().entries())
        {
            if (SharedMemoryRecords.isBlock(candidate) && session.directory().isInBounds(candidate) &&
                SharedMemoryRecords.owner(session, candidate) == entry.index())
            {
                blocks.add(candidate);
            }
        }
        return blocks;
    }

    public boolean isClosed()
    {
        return session.isClosed() ||
            session.buffer().getIntVolatile((int)entry.offset() + SharedMemoryRecordLayout.STATE_OFFSET) !=
                SharedMemoryRecordLayout.LIVE;
    }

    private void checkOpen()
    {
        if (isClosed())
        {
            throw new IllegalStateException(name() + " is shut down; blocks cannot be made with it any more");
        }
    }

    /** Python's {@code shutdown()}: the same as {@link #close()}. */
    public void shutdown()
    {
        close();
    }

    /**
     * Unlinks every block this manager made, in any process, that is still there; later calls do nothing.
     * Processes attached to a block keep their mapping until they close it, as with {@link SharedMemory#unlink()}.
     */
    @Override
    public void close()
    {
        if (session.isClosed())
        {
            return; // the session ended, and its cleanup unlinked the blocks
        }
        session.buffer().compareAndSetInt((int)entry.offset() + SharedMemoryRecordLayout.STATE_OFFSET,
            SharedMemoryRecordLayout.LIVE, SharedMemoryRecordLayout.UNLINKED);
        for (final DirectoryEntry block : ownBlocks())
        {
            if (SharedMemoryRecords.claim(session, block))
            {
                SharedMemoryRecords.unlinkIfSame(block.name(),
                    session.buffer().getLong((int)block.offset() + SharedMemoryRecordLayout.INODE_OFFSET));
            }
        }
    }

    @Override
    public String toString()
    {
        return "<SharedMemoryManager " + name() + " of " + session.name() + (isClosed() ? " closed" : "") + ">";
    }
}
