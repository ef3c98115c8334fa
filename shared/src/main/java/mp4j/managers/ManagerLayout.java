package mp4j.managers;

/**
 * The one description of a {@link Manager}'s header: {@link #LENGTH} bytes in the session's data area, listed in
 * the object directory as kind {@code MANAGER} (its lock offset is the header's start). Everything else a manager
 * holds lives in its segments, blocks of {@code /dev/shm} laid out as {@link ContainerLayout} draws. All integers
 * little-endian; offsets relative to the header's start.
 * <pre>
 *   session data area                                /dev/shm/psm_xxxxxxxx (segment 0, 1, ... up to 64)
 *   +----------------------------------------+       +----------------+-------------------------------+
 *   | lock word | state, allocator, registry |  ...  | segment header | blocks: registry, tables,     |
 *   | segment table | free lists | undo log  |       | (64 bytes)     | records, free blocks          |
 *   +----------------------------------------+       +----------------+-------------------------------+
 * </pre>
 *
 * <h2>Header</h2>
 * <pre>
 *  offset size field          meaning
 *  ------ ---- -------------- ---------------------------------------------------------------------------
 *     0   32  lock           a robust {@code mp4j.synchronize.LockWord}: every update and read of every
 *                            container of this manager holds it
 *    32    4  state          1 OPEN, 2 CLOSED (shut down: every proxy call fails)
 *    36    4  version        {@link #VERSION}
 *    40    4  blocksIndex    directory index of the SharedMemoryManager entry that records the segments,
 *                            so that the session's cleanup unlinks them whoever dies
 *    44    4  segmentCount   segments made; grows only, written after the segment's row (below)
 *    48    8  registry     U ref of the container registry block ({@link ContainerLayout})
 *    56    4  containers   U containers made; a container's id is its row in the registry
 *    60    4  bumpSegment  U the segment new blocks are carved from
 *    64    8  bumpOffset   U the next free byte of that segment
 *    72    8  garbage      U ref of a table being reclaimed after a clear, or 0
 *    80    8  garbageNext  U the next row of that table to free
 *    88    4  garbageKind  U what the garbage table is: {@link ContainerLayout#DICT_TABLE} or LIST_TABLE
 *    92    4  undoCount      entries in the undo log: 0 when no update is in progress
 *    96    8  bytesInUse   U bytes of blocks handed out and not freed
 *   104    8  commits        updates committed
 *   112    4  rollbacks      updates undone (their writer died or failed in the middle)
 *   116    4  serverQueue    directory index + 1 of the request Queue of the manager's server process
 *                            ({@link Manager#register}), 0 while there is none
 *   120    4  serverSlot     that process's slot + 1 in the process table
 *   124    4  serverGeneration the slot's generation when it was claimed for it: a reused slot is not it
 *   128 2048  segments       {@link #MAX_SEGMENTS} rows of {@link #SEGMENT_ROW} bytes: size (8); end (8, U:
 *                            where carving stopped, once the allocator has moved on to a later segment);
 *                            the block's name (16, UTF-8, NUL-padded: "psm_" and 8 hex digits)
 *  2176 1024  freeLists    U {@link #FREE_LISTS} heads: the ref of the first free block of each size class
 *  3200 16384 undo log       {@link #UNDO_CAPACITY} rows of 16 bytes: the ref of an 8-byte word, its value
 *                            before the update in progress wrote it
 * 19584       end
 * </pre>
 * U: written only with an undo row first (see below).
 *
 * <h2>Refs</h2>
 * A ref is a long naming 8 bytes anywhere in the manager: {@code (segment + 1) << 32 | offset}, offset from the
 * segment's first byte; segment field 0 names this header (offset from its start), which only undo rows do. Ref
 * 0 is null.
 *
 * <h2>How an update survives its writer's death: the undo log</h2>
 * An update holds the lock. Before it writes any 8-byte word that a reader could reach (a table row, a size, a
 * free-list head, a U field above), it appends that word's ref and current value to the undo log and then raises
 * {@code undoCount} (release stores, in that order: the row, the count, the word). New records are written into
 * blocks nobody can reach yet and need no row. The update ends by storing {@code undoCount = 0}: that single
 * store is the commit point. A process killed anywhere before it leaves rows behind; the next process to take
 * the lock gets it back from the dead owner ({@code ownerDied}) and writes the logged values back in reverse
 * order, which restores exactly the state before the update, allocator included: the update did not happen. A
 * process killed after it has happened, acknowledged or not. Undoing is idempotent, so a process killed while
 * undoing is undone again by the next. Segments are never given back, so making one needs no row: a segment
 * made by an update that was undone is used by the next one.
 */
public final class ManagerLayout
{
    public static final int VERSION = 1;

    public static final int LOCK_OFFSET = 0;
    public static final int STATE_OFFSET = 32;
    public static final int VERSION_OFFSET = 36;
    public static final int BLOCKS_INDEX_OFFSET = 40;
    public static final int SEGMENT_COUNT_OFFSET = 44;
    public static final int REGISTRY_OFFSET = 48;
    public static final int CONTAINERS_OFFSET = 56;
    public static final int BUMP_SEGMENT_OFFSET = 60;
    public static final int BUMP_OFFSET_OFFSET = 64;
    public static final int GARBAGE_OFFSET = 72;
    public static final int GARBAGE_NEXT_OFFSET = 80;
    public static final int GARBAGE_KIND_OFFSET = 88;
    public static final int UNDO_COUNT_OFFSET = 92;
    public static final int BYTES_IN_USE_OFFSET = 96;
    public static final int COMMITS_OFFSET = 104;
    public static final int ROLLBACKS_OFFSET = 112;
    public static final int SERVER_QUEUE_OFFSET = 116;
    public static final int SERVER_SLOT_OFFSET = 120;
    public static final int SERVER_GENERATION_OFFSET = 124;

    public static final int SEGMENTS_OFFSET = 128;
    public static final int MAX_SEGMENTS = 64;
    public static final int SEGMENT_ROW = 32;
    public static final int SEGMENT_SIZE_FIELD = 0;
    public static final int SEGMENT_END_FIELD = 8;
    public static final int SEGMENT_NAME_FIELD = 16;
    public static final int SEGMENT_NAME_LENGTH = 16;

    public static final int FREE_LISTS_OFFSET = SEGMENTS_OFFSET + MAX_SEGMENTS * SEGMENT_ROW;
    public static final int FREE_LISTS = 128;

    public static final int UNDO_OFFSET = FREE_LISTS_OFFSET + FREE_LISTS * 8;
    public static final int UNDO_CAPACITY = 1024;
    public static final int UNDO_ROW = 16;

    public static final int LENGTH = UNDO_OFFSET + UNDO_CAPACITY * UNDO_ROW;

    public static final int OPEN = 1;
    public static final int CLOSED = 2;

    private ManagerLayout()
    {
    }

    /** The ref of {@code offset} in segment {@code segment} (0-based). */
    public static long ref(final int segment, final int offset)
    {
        return ((long)(segment + 1) << 32) | (offset & 0xFFFF_FFFFL);
    }

    /** The ref of {@code offset} in the header. */
    public static long headerRef(final int offset)
    {
        return offset & 0xFFFF_FFFFL;
    }

    /** The segment a ref names (0-based), or -1 for the header. */
    public static int segmentOf(final long ref)
    {
        return (int)(ref >>> 32) - 1;
    }

    public static int offsetOf(final long ref)
    {
        return (int)ref;
    }

    public static int segmentRow(final int segment)
    {
        return SEGMENTS_OFFSET + segment * SEGMENT_ROW;
    }

    public static int freeList(final int sizeClass)
    {
        return FREE_LISTS_OFFSET + sizeClass * 8;
    }

    public static int undoRow(final int index)
    {
        return UNDO_OFFSET + index * UNDO_ROW;
    }
}
