package mp4j.managers;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.session.Strings;
import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryManager;
import mp4j.sharedmemory.SharedMemoryNames;
import mp4j.synchronize.LockWord;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static mp4j.managers.ContainerLayout.*;
import static mp4j.managers.ManagerLayout.*;

/**
 * This process's view of one manager's memory ({@link ManagerLayout}, {@link ContainerLayout}): the header in the
 * session file, the segments mapped as they are first reached, the lock, the undo log and the block allocator.
 * One per manager per process, shared by its threads and proxies. Every method but the lock's and {@link #clear}
 * (which takes it) needs the lock held.
 */
final class Store
{
    private static final ConcurrentHashMap<String, Store> STORES = new ConcurrentHashMap<>();
    private static final AtomicBuffer[] NONE = new AtomicBuffer[0];
    /**
     * Tests only: when positive, the update that makes this many-th logged write from now fails there, as a process
     * killed at that point would (the failure undoes it in this process, as the next lock holder would).
     */
    static int failAfterWrites;
    /** Tests only: {@link #failAfterWrites} halts the process (exit code {@link #HALTED}) instead of throwing. */
    static boolean haltOnFail;
    static final int HALTED = 99;
    /** Undo rows a free takes at commit. */
    private static final int FREE_ROWS = 4;

    final Session session;
    final int index;
    final String name;
    /** The header, as its own view: a ref's offset is its offset here. */
    final AtomicBuffer header;
    private final LockWord lock;
    private final boolean readOnly;
    /** [0]: the header; [s + 1]: segment s, null until mapped. Replaced, never changed, when a segment is mapped. */
    private volatile AtomicBuffer[] views;
    private volatile MappedByteBuffer[] mappings = new MappedByteBuffer[0];
    private SharedMemoryManager blocks;
    private ServerClient client;
    /** Blocks the update in progress frees, pushed on their free lists by {@link #commit()}; the lock holder's. */
    private long[] pendingFrees = new long[16];
    private int pending;

    private Store(final Session session, final DirectoryEntry entry, final boolean readOnly)
    {
        if (entry.kind() != ObjectKind.MANAGER || entry.length() < LENGTH || !session.directory().isInBounds(entry))
        {
            throw new IllegalArgumentException("directory entry " + entry.index() + " ('" + entry.name() + "') of " +
                session.name() + " is not a manager of this version (kind " + entry.kind() + ", " + entry.length() +
                " bytes)");
        }
        this.session = session;
        this.index = entry.index();
        this.name = entry.name();
        this.header = new UnsafeBuffer(session.buffer(), (int)entry.offset(), LENGTH);
        this.readOnly = readOnly;
        this.lock = readOnly ? null : new LockWord(session, entry.offset() + LOCK_OFFSET);
        final int version = header.getInt(VERSION_OFFSET);
        if (version != VERSION)
        {
            throw new IllegalStateException("manager '" + name + "' was made by manager layout version " + version +
                "; this mp4j reads version " + VERSION + ": use the mp4j that made it");
        }
        this.views = new AtomicBuffer[] {header};
    }

    /** The store of the manager at {@code entry}, shared by everything in this process that uses it. */
    static Store of(final Session session, final DirectoryEntry entry)
    {
        final Store store = STORES.computeIfAbsent(session.name() + "/" + entry.index(),
            key -> new Store(session, entry, false));
        if (store.session != session)
        {
            // the session was closed and attached again (tests): a new view
            final Store fresh = new Store(session, entry, false);
            STORES.put(session.name() + "/" + entry.index(), fresh);
            return fresh;
        }
        return store;
    }

    /** A store that only reads, for the inspector; {@link #unmapAll()} when done. Never cached. */
    static Store reader(final Session session, final DirectoryEntry entry)
    {
        return new Store(session, entry, true);
    }

    /** Makes a new manager's header in {@code session} and lists it in the directory. */
    static DirectoryEntry create(final Session session, final String name)
    {
        final SharedMemoryManager blocks = new SharedMemoryManager(session);
        final long offset = session.allocate(LENGTH);
        final AtomicBuffer buffer = session.buffer();
        final int at = (int)offset;
        buffer.putInt(at + VERSION_OFFSET, VERSION);
        buffer.putInt(at + BLOCKS_INDEX_OFFSET, blocks.entry().index());
        buffer.putInt(at + BUMP_SEGMENT_OFFSET, -1);
        buffer.putIntOrdered(at + STATE_OFFSET, OPEN);
        final int index = session.directory().used(); // cosmetic: the entry index is the identity
        return session.directory().add(ObjectKind.MANAGER, name != null ? name : "Manager-" + index, 0, offset,
            LENGTH, offset + LOCK_OFFSET, 0, 0);
    }

    // ---------------------------------------------------------------------------------------------- memory

    /** The buffer a ref lies in; its offset there is {@code (int)ref}. */
    AtomicBuffer view(final long ref)
    {
        final int slot = (int)(ref >>> 32);
        final AtomicBuffer[] current = views;
        if (slot < current.length)
        {
            final AtomicBuffer view = current[slot];
            if (view != null)
            {
                return view;
            }
        }
        return map(slot - 1);
    }

    long getLong(final long ref, final int field)
    {
        return view(ref).getLong((int)ref + field);
    }

    int getInt(final long ref, final int field)
    {
        return view(ref).getInt((int)ref + field);
    }

    int segmentCount()
    {
        return Math.min(header.getIntVolatile(SEGMENT_COUNT_OFFSET), MAX_SEGMENTS);
    }

    long segmentSize(final int segment)
    {
        return segment < 0 || segment >= segmentCount() ? 0 : header.getLong(segmentRow(segment) + SEGMENT_SIZE_FIELD);
    }

    /** Where carving blocks from {@code segment} stopped, or has got to in the segment in use. */
    long segmentEnd(final int segment)
    {
        return segment == header.getInt(BUMP_SEGMENT_OFFSET) ? header.getLong(BUMP_OFFSET_OFFSET) :
            header.getLong(segmentRow(segment) + SEGMENT_END_FIELD);
    }

    String segmentName(final int segment)
    {
        return Strings.get(header, segmentRow(segment) + SEGMENT_NAME_FIELD, SEGMENT_NAME_LENGTH);
    }

    private synchronized AtomicBuffer map(final int segment)
    {
        AtomicBuffer[] current = views;
        if (segment + 1 < current.length && current[segment + 1] != null)
        {
            return current[segment + 1];
        }
        if (current == NONE)
        {
            throw closed();
        }
        if (segment < 0 || segment >= segmentCount())
        {
            throw new IllegalStateException("manager '" + name + "' is corrupt: a ref names segment " + segment +
                " of its " + segmentCount());
        }
        final String file = segmentName(segment);
        final long size = segmentSize(segment);
        final String problem = SharedMemoryNames.problem(file);
        if (problem != null || size < SEGMENT_HEADER_LENGTH || size > MAX_SEGMENT_SIZE)
        {
            throw new IllegalStateException("manager '" + name + "' is corrupt: segment " + segment + " is named '" +
                file + "' (" + size + " bytes)");
        }
        final MappedByteBuffer mapped = mapFile(SharedMemoryNames.directory().resolve(file), size, readOnly);
        final UnsafeBuffer view = new UnsafeBuffer(mapped);
        if (view.getLong(SEGMENT_MAGIC_OFFSET) != SEGMENT_MAGIC || view.getInt(SEGMENT_NUMBER_OFFSET) != segment)
        {
            throw new IllegalStateException("/dev/shm/" + file + " is not segment " + segment + " of manager '" +
                name + "' (its header says otherwise): it was replaced, or the manager is corrupt");
        }
        final AtomicBuffer[] grown = new AtomicBuffer[Math.max(current.length, segment + 2)];
        System.arraycopy(current, 0, grown, 0, current.length);
        grown[segment + 1] = view;
        final MappedByteBuffer[] maps = new MappedByteBuffer[grown.length];
        System.arraycopy(mappings, 0, maps, 0, mappings.length);
        maps[segment + 1] = mapped;
        mappings = maps;
        views = grown;
        return view;
    }

    private MappedByteBuffer mapFile(final Path path, final long size, final boolean readOnly)
    {
        final Set<OpenOption> options = readOnly ? Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS) :
            Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel channel = FileChannel.open(path, options))
        {
            final BasicFileAttributes attributes =
                Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || channel.size() < size)
            {
                throw new IllegalStateException(path + " is not the " + size + "-byte segment manager '" + name +
                    "' recorded (" + channel.size() + " bytes): it was replaced or truncated");
            }
            // the mapping outlives the channel; no descriptor stays open
            return channel.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, size);
        }
        catch (final NoSuchFileException ex)
        {
            if (header.getIntVolatile(STATE_OFFSET) != OPEN)
            {
                throw closed();
            }
            throw new IllegalStateException("segment " + path + " of manager '" + name + "' is gone (removed by " +
                "hand, or by 'launcher clean'?): the manager's containers are lost", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot map segment " + path + " of manager '" + name + "': " + ex, ex);
        }
    }

    /** Drops this process's mappings of a closed manager: the collector unmaps them once nothing refers to them. */
    private synchronized void retire()
    {
        views = NONE;
        mappings = new MappedByteBuffer[0];
        STORES.remove(session.name() + "/" + index, this);
    }

    /** The inspector's end: unmaps the read-only segments now (nothing else uses a reader). */
    synchronized void unmapAll()
    {
        for (final MappedByteBuffer mapped : mappings)
        {
            if (mapped != null)
            {
                org.agrona.IoUtil.unmap(mapped);
            }
        }
        mappings = new MappedByteBuffer[0];
        views = NONE;
    }

    // ------------------------------------------------------------------------------------------------ lock

    boolean isOpen()
    {
        return !session.isClosed() && header.getIntVolatile(STATE_OFFSET) == OPEN;
    }

    ManagerClosedException closed()
    {
        return new ManagerClosedException("manager '" + name + "' of " + session.name() + " is shut down: its " +
            "containers are gone, and every call on their proxies fails (as Python's after shutdown())");
    }

    /**
     * Takes the lock for one call; undoes what a dead holder left half done, and finishes reclaiming a cleared
     * table. Throws, holding nothing, when the manager is shut down.
     */
    void lock()
    {
        if (session.isClosed())
        {
            throw closed();
        }
        final long me = lock.me();
        if (lock.owner() == me)
        {
            throw new IllegalStateException("this thread already holds manager '" + name + "' (a function passed " +
                "to compute or merge called one of its containers): the manager's lock is not reentrant, and the " +
                "function must not touch the manager's containers");
        }
        lock.acquire(me, LockWord.FOREVER);
        pending = 0;
        try
        {
            if (header.getIntVolatile(STATE_OFFSET) != OPEN)
            {
                retire();
                throw closed();
            }
            if (header.getIntVolatile(UNDO_COUNT_OFFSET) != 0)
            {
                rollback(); // its writer died in the middle (the lock was recovered from it), or failed
            }
            if (header.getLong(GARBAGE_OFFSET) != 0)
            {
                drainGarbage();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            lock.release();
            throw ex;
        }
    }

    void unlock()
    {
        lock.release();
    }

    /** Shuts the manager down for every process: later calls fail. False when it was shut down already. */
    boolean close()
    {
        if (session.isClosed())
        {
            return false;
        }
        final long me = lock.me();
        if (lock.owner() == me)
        {
            throw new IllegalStateException("manager '" + name + "' cannot be shut down from inside a call on it");
        }
        lock.acquire(me, LockWord.FOREVER);
        final boolean wasOpen;
        try
        {
            wasOpen = header.getIntVolatile(STATE_OFFSET) == OPEN;
            header.putIntOrdered(STATE_OFFSET, CLOSED);
            header.putIntOrdered(UNDO_COUNT_OFFSET, 0);
        }
        finally
        {
            lock.release();
        }
        blocks().close(); // unlinks every segment: processes still mapping one keep it until they let go
        retire();
        return wasOpen;
    }

    long recoveries()
    {
        return lock == null ? 0 : lock.recoveries();
    }

    // ------------------------------------------------------------------------------------------- undo log

    /** Records the 8-byte word at {@code wordRef} (8-aligned) so that {@link #rollback()} can restore it. */
    private void log(final long wordRef)
    {
        if (failAfterWrites > 0 && --failAfterWrites == 0)
        {
            if (haltOnFail)
            {
                Runtime.getRuntime().halt(HALTED); // a real death: the lock stays held, the undo rows stay
            }
            throw new SimulatedDeath();
        }
        final int count = header.getInt(UNDO_COUNT_OFFSET);
        if (count >= UNDO_CAPACITY)
        {
            throw new IllegalStateException("an update of manager '" + name + "' needs more than " + UNDO_CAPACITY +
                " undo rows: a bug in mp4j.managers (an update must checkpoint before that)");
        }
        final int row = undoRow(count);
        header.putLong(row, wordRef);
        header.putLong(row + 8, view(wordRef).getLong((int)wordRef));
        header.putIntOrdered(UNDO_COUNT_OFFSET, count + 1);
    }

    /**
     * Whether an update that makes many changes (a bulk {@code addAll}, {@code putAll}) must commit now, a
     * checkpoint, before its undo rows run out.
     */
    boolean checkpointDue()
    {
        return UNDO_CAPACITY - header.getInt(UNDO_COUNT_OFFSET) - FREE_ROWS * pending < 64;
    }

    /** Writes {@code value} at {@code ref + field}, undoably. */
    void putLong(final long ref, final int field, final long value)
    {
        final long word = ref + field;
        log(word);
        view(word).putLongOrdered((int)word, value);
    }

    /** Writes the int at {@code ref + field}, undoably (its 8-byte word is logged). */
    void putInt(final long ref, final int field, final int value)
    {
        final long at = ref + field;
        log(at & ~7L);
        view(at).putIntOrdered((int)at, value);
    }

    /** The commit point: the update in progress has happened. */
    void commit()
    {
        for (int i = 0; i < pending; i++)
        {
            push(pendingFrees[i]);
        }
        pending = 0;
        if (header.getInt(UNDO_COUNT_OFFSET) != 0)
        {
            header.putIntOrdered(UNDO_COUNT_OFFSET, 0);
            header.putLong(COMMITS_OFFSET, header.getLong(COMMITS_OFFSET) + 1);
        }
    }

    /** Undoes the update in progress, if any: for a call that failed before its commit point. */
    void abort()
    {
        pending = 0;
        if (!readOnly && header.getInt(UNDO_COUNT_OFFSET) != 0)
        {
            rollback();
        }
    }

    /** Writes the logged words back, last first: the state before the update. Idempotent. */
    private void rollback()
    {
        final int count = Math.min(header.getIntVolatile(UNDO_COUNT_OFFSET), UNDO_CAPACITY);
        for (int i = count - 1; i >= 0; i--)
        {
            final int row = undoRow(i);
            final long word = header.getLong(row);
            view(word).putLongOrdered((int)word, header.getLong(row + 8));
        }
        header.putIntOrdered(UNDO_COUNT_OFFSET, 0);
        header.putInt(ROLLBACKS_OFFSET, header.getInt(ROLLBACKS_OFFSET) + 1);
    }

    // ------------------------------------------------------------------------------------------ allocator

    /**
     * A block of at least {@code bytes} (its 8-byte header included) of {@code type}; its other bytes are
     * whatever they were. Undoable.
     */
    long allocate(final long bytes, final int type)
    {
        final int sizeClass = classFor(bytes);
        if (sizeClass < 0)
        {
            throw new IllegalArgumentException("a manager's block holds at most " + MAX_BLOCK + " bytes; this " +
                "one needs " + bytes + " (store smaller values, or a SharedMemory block's name)");
        }
        final long size = classSize(sizeClass);
        final int head = freeList(sizeClass);
        final long free = header.getLong(head);
        final long block;
        if (free != 0)
        {
            final AtomicBuffer view = view(free);
            final int at = (int)free;
            if (view.getInt(at + BLOCK_TYPE_OFFSET) != FREE || view.getInt(at + BLOCK_CLASS_OFFSET) != sizeClass)
            {
                throw new IllegalStateException("manager '" + name + "' is corrupt: free list " + sizeClass +
                    " holds a block that is not free");
            }
            putLong(headerRef(head), 0, view.getLong(at + BLOCK_NEXT_OFFSET));
            log(free + BLOCK_NEXT_OFFSET); // its link is about to be overwritten: undo must restore the list
            putLong(free, BLOCK_CLASS_OFFSET, ((long)type << 32) | sizeClass);
            block = free;
        }
        else
        {
            block = bump(size);
            view(block).putLongOrdered((int)block + BLOCK_CLASS_OFFSET, ((long)type << 32) | sizeClass);
        }
        putLong(headerRef(BYTES_IN_USE_OFFSET), 0, header.getLong(BYTES_IN_USE_OFFSET) + size);
        return block;
    }

    /**
     * Frees a block as part of the update in progress: it goes on its class's free list when the update commits
     * (still undoably, before the commit point), so that no block is freed and handed out again within one update,
     * which would overwrite bytes an undo must find intact.
     */
    void free(final long block)
    {
        if (pending == pendingFrees.length)
        {
            pendingFrees = java.util.Arrays.copyOf(pendingFrees, pending * 2);
        }
        pendingFrees[pending++] = block;
    }

    private void push(final long block)
    {
        final AtomicBuffer view = view(block);
        final int at = (int)block;
        final int sizeClass = view.getInt(at + BLOCK_CLASS_OFFSET);
        final int type = view.getInt(at + BLOCK_TYPE_OFFSET);
        if (sizeClass < 0 || sizeClass >= CLASSES || type == FREE)
        {
            throw new IllegalStateException("manager '" + name + "' is corrupt: freeing a block of class " +
                sizeClass + ", type " + type);
        }
        final int head = freeList(sizeClass);
        putLong(block, BLOCK_NEXT_OFFSET, header.getLong(head));
        putLong(block, BLOCK_CLASS_OFFSET, ((long)FREE << 32) | sizeClass);
        putLong(headerRef(head), 0, block);
        putLong(headerRef(BYTES_IN_USE_OFFSET), 0, header.getLong(BYTES_IN_USE_OFFSET) - classSize(sizeClass));
    }

    private long bump(final long size)
    {
        final int segment = header.getInt(BUMP_SEGMENT_OFFSET);
        final long offset = header.getLong(BUMP_OFFSET_OFFSET);
        if (segment >= 0 && offset + size <= segmentSize(segment))
        {
            putLong(headerRef(BUMP_OFFSET_OFFSET), 0, offset + size);
            return ref(segment, (int)offset);
        }
        for (int next = segment + 1; next < MAX_SEGMENTS; next++)
        {
            if (next >= segmentCount())
            {
                makeSegment(next, size);
            }
            if (segmentSize(next) - SEGMENT_HEADER_LENGTH >= size)
            {
                if (segment >= 0)
                {
                    putLong(headerRef(segmentRow(segment) + SEGMENT_END_FIELD), 0, offset);
                }
                putInt(headerRef(BUMP_SEGMENT_OFFSET), 0, next);
                putLong(headerRef(BUMP_OFFSET_OFFSET), 0, SEGMENT_HEADER_LENGTH + size);
                return ref(next, SEGMENT_HEADER_LENGTH);
            }
        }
        throw new IllegalStateException("manager '" + name + "' has made all its " + MAX_SEGMENTS + " segments (" +
            totalSegmentBytes() + " bytes) and cannot hold more; use another Manager");
    }

    long totalSegmentBytes()
    {
        long total = 0;
        for (int s = 0; s < segmentCount(); s++)
        {
            total += segmentSize(s);
        }
        return total;
    }

    /**
     * Makes segment {@code segment}: a block of /dev/shm recorded by the session before the file exists (so that
     * it is swept whoever dies), stamped, and then listed in the header. Not undone: a later update uses it.
     */
    private void makeSegment(final int segment, final long needed)
    {
        final long doubling = Math.min(FIRST_SEGMENT_SIZE << Math.min(segment, 20), MAX_SEGMENT_SIZE);
        final long size = Math.min(MAX_SEGMENT_SIZE,
            Math.max(doubling, SessionLayout.align(needed + SEGMENT_HEADER_LENGTH, 1 << 20)));
        final SharedMemory shm = blocks().sharedMemory(size);
        try
        {
            final AtomicBuffer buffer = shm.buf();
            buffer.putInt(SEGMENT_NUMBER_OFFSET, segment);
            buffer.putInt(SEGMENT_MANAGER_OFFSET, index);
            buffer.putLongOrdered(SEGMENT_MAGIC_OFFSET, SEGMENT_MAGIC);
        }
        finally
        {
            shm.close(); // this process maps it again as it reaches it, without keeping a descriptor open
        }
        final int row = segmentRow(segment);
        header.putLong(row + SEGMENT_SIZE_FIELD, size);
        header.putLong(row + SEGMENT_END_FIELD, SEGMENT_HEADER_LENGTH);
        Strings.put(header, row + SEGMENT_NAME_FIELD, SEGMENT_NAME_LENGTH, shm.name());
        header.putIntOrdered(SEGMENT_COUNT_OFFSET, segment + 1);
    }

    /** This process's side of the manager's server (registered types). */
    synchronized ServerClient client()
    {
        if (client == null)
        {
            client = new ServerClient(this);
        }
        return client;
    }

    private synchronized SharedMemoryManager blocks()
    {
        if (blocks == null)
        {
            blocks = SharedMemoryManager.attach(session, header.getInt(BLOCKS_INDEX_OFFSET));
        }
        return blocks;
    }

    // -------------------------------------------------------------------------------------------- registry

    int containers()
    {
        return header.getIntVolatile(CONTAINERS_OFFSET);
    }

    private long row(final int id)
    {
        final long registry = header.getLong(REGISTRY_OFFSET);
        if (id < 0 || id >= header.getInt(CONTAINERS_OFFSET) || registry == 0)
        {
            throw new IllegalStateException("manager '" + name + "' has no container #" + id);
        }
        return registry + REGISTRY_ROWS_OFFSET + (long)id * REGISTRY_ROW;
    }

    int kind(final int id)
    {
        return getInt(row(id), ROW_KIND_FIELD);
    }

    long table(final int id)
    {
        return getLong(row(id), ROW_TABLE_FIELD);
    }

    void setTable(final int id, final long table)
    {
        putLong(row(id), ROW_TABLE_FIELD, table);
    }

    /** Lists a new container with its first table; returns its id. Undoable. */
    int register(final int kind, final long table)
    {
        final int id = header.getInt(CONTAINERS_OFFSET);
        long registry = header.getLong(REGISTRY_OFFSET);
        final int capacity = registry == 0 ? 0 : getInt(registry, REGISTRY_CAPACITY_OFFSET);
        if (id >= capacity)
        {
            final int grown = Math.max(16, capacity * 2);
            final long copy = allocate(registryBytes(grown), REGISTRY);
            final AtomicBuffer to = view(copy);
            to.putInt((int)copy + REGISTRY_CAPACITY_OFFSET, grown);
            if (registry != 0)
            {
                to.putBytes((int)copy + REGISTRY_ROWS_OFFSET, view(registry), (int)registry + REGISTRY_ROWS_OFFSET,
                    id * REGISTRY_ROW);
            }
            putLong(headerRef(REGISTRY_OFFSET), 0, copy);
            if (registry != 0)
            {
                free(registry);
            }
            registry = copy;
        }
        final long row = registry + REGISTRY_ROWS_OFFSET + (long)id * REGISTRY_ROW;
        final AtomicBuffer view = view(row);
        view.putInt((int)row + ROW_KIND_FIELD, kind);
        view.putInt((int)row + 4, 0);
        view.putLong((int)row + ROW_TABLE_FIELD, table);
        putInt(headerRef(CONTAINERS_OFFSET), 0, id + 1);
        return id;
    }

    // --------------------------------------------------------------------------------------------- garbage

    /**
     * Empties container {@code id} in one step, Python's {@code clear()}: points it at a new empty table of
     * {@code tableType} ({@link ContainerLayout#LIST_TABLE} or {@link ContainerLayout#DICT_TABLE}) and reclaims
     * the old one, records and all, a few records an update. Takes the lock; a table already empty is left as is.
     */
    void clear(final int id, final int tableType)
    {
        lock();
        try
        {
            final long table = table(id);
            if (rows(table, tableType) == 0)
            {
                return;
            }
            setTable(id, tableType == DICT_TABLE ? DictTable.create(this, 0) : ListTable.create(this, 0));
            discard(table, tableType);
            commit();
            drainGarbage();
        }
        catch (final RuntimeException | Error ex)
        {
            abort();
            throw ex;
        }
        finally
        {
            unlock();
        }
    }

    /** The rows a table uses: a list's size, a dict's entries, removed ones too. */
    private int rows(final long table, final int tableType)
    {
        return tableType == DICT_TABLE ? getInt(table, DICT_USED_OFFSET) : getInt(table, LIST_SIZE_OFFSET);
    }

    /**
     * Hands a table that no container refers to any more (a cleared one) to the reclaimer, records and all, as
     * part of the update in progress; the records are freed after its commit, a few per update, so that no update
     * outgrows the undo log. A process that dies while reclaiming leaves the rest to the next lock holder.
     */
    private void discard(final long table, final int tableType)
    {
        putLong(headerRef(GARBAGE_OFFSET), 0, table);
        putLong(headerRef(GARBAGE_NEXT_OFFSET), 0, 0);
        putInt(headerRef(GARBAGE_KIND_OFFSET), 0, tableType);
    }

    /** Frees what {@link #discard} handed over, in updates of a few records each. Lock held, no update open. */
    void drainGarbage()
    {
        while (true)
        {
            final long table = header.getLong(GARBAGE_OFFSET);
            if (table == 0)
            {
                return;
            }
            final int type = header.getInt(GARBAGE_KIND_OFFSET);
            final int rows = rows(table, type);
            long next = header.getLong(GARBAGE_NEXT_OFFSET);
            for (int freed = 0; next < rows && freed < 64; next++)
            {
                final long record = type == DICT_TABLE ?
                    getLong(table, dictEntriesOffset(getInt(table, DICT_INDEX_SLOTS_OFFSET)) +
                        (int)next * DICT_ENTRY + ENTRY_RECORD_FIELD) :
                    getLong(table, LIST_ROWS_OFFSET + (int)next * 8);
                if (record != 0)
                {
                    free(record);
                    freed++;
                }
            }
            if (next < rows)
            {
                putLong(headerRef(GARBAGE_NEXT_OFFSET), 0, next);
            }
            else
            {
                putLong(headerRef(GARBAGE_OFFSET), 0, 0);
                putLong(headerRef(GARBAGE_NEXT_OFFSET), 0, 0);
                free(table);
            }
            commit();
        }
    }

    @Override
    public String toString()
    {
        return "Store[" + name + " of " + session.name() + "]";
    }

    /** What {@link #failAfterWrites} throws. */
    static final class SimulatedDeath extends Error
    {
        private static final long serialVersionUID = 1L;

        SimulatedDeath()
        {
            super("simulated death in the middle of an update", null, false, false);
        }
    }
}
