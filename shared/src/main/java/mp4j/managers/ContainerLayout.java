package mp4j.managers;

/**
 * The one description of what a {@link Manager} keeps in its segments: blocks of {@code /dev/shm} it makes as it
 * grows (4 MiB, then twice the last, up to 1 GiB each; at most {@link ManagerLayout#MAX_SEGMENTS}), each recorded
 * by the session so that nothing outlives it. A segment holds a header and then blocks; a block is found by its
 * ref ({@link ManagerLayout}). All integers little-endian; offsets relative to the segment or block start.
 *
 * <h2>Segment header</h2>
 * <pre>
 *  offset size field         meaning
 *  ------ ---- ------------- ----------------------------------------------------------------------------
 *     0     8  magic         "MP4JHEAP" (0x504145484A34504D as a little-endian long)
 *     8     4  segment       this segment's number in its manager
 *    12     4  manager       the manager's directory index in its session
 *    16    48  reserved
 *    64        first block
 * </pre>
 *
 * <h2>Block</h2>
 * Every block starts with 8 bytes; its size is that of its size class: 16, 24, then four classes per power of
 * two (32, 40, 48, 56, 64, 80, 96, 112, 128, ...), up to 1 GiB ({@link #classSize}). A freed block goes on its
 * class's free list (the manager header's {@code freeLists}) and is handed out again before the segment's
 * untouched end is.
 * <pre>
 *  offset size field      meaning
 *  ------ ---- ---------- -------------------------------------------------------------------------------
 *     0     4  sizeClass  index of the block's size class
 *     4     4  type       {@link #REGISTRY}, {@link #DICT_TABLE}, {@link #LIST_TABLE}, {@link #RECORD},
 *                         or {@link #FREE}
 *     8     8  next       FREE only: the ref of the next free block of the class, 0 at the end
 *     8        payload    the other types: as below
 * </pre>
 *
 * <h2>Registry: the manager's containers</h2>
 * <pre>
 *     8     4  capacity   rows
 *    12     4  reserved
 *    16        rows, {@link #REGISTRY_ROW} bytes each; row i is container id i:
 *              kind (4: {@link #DICT}, {@link #LIST}, {@link #NAMESPACE}), reserved (4), table (8: ref)
 * </pre>
 *
 * <h2>Dict table (DICT and NAMESPACE): CPython's compact dict</h2>
 * Entries in insertion order, and an open-addressing index into them (linear probing on the key's hash), so
 * iteration is in insertion order as a Python dict's.
 * <pre>
 *     8     4  indexSlots     a power of two, at least 4/3 of entryCapacity
 *    12     4  entryCapacity
 *    16     4  used           entries appended, removed ones included
 *    20     4  live           keys
 *    24        index: indexSlots ints: 0 empty, 1 removed, i + 2 entry i
 *    24 + 4 * indexSlots, rounded up to 8: entries, {@link #DICT_ENTRY} bytes each:
 *              hash (4), reserved (4), record (8: ref; 0 once removed)
 * </pre>
 * Replacing a key's value stores the new record's ref into its entry (one 8-byte store). A table that is full
 * is copied into a bigger one without its removed entries (the records stay where they are) and the registry
 * row is pointed at the copy.
 *
 * <h2>List table</h2>
 * <pre>
 *     8     4  capacity
 *    12     4  size
 *    16        capacity refs of records, in list order
 * </pre>
 * Appending writes past {@code size} and then raises it; an insert or a removal before the end builds a new table.
 *
 * <h2>Record: one key and value, never changed once written</h2>
 * <pre>
 *     8     4  keyLength    0 in a list
 *    12     4  valueLength
 *    16        key, then value: each as {@code mp4j.codec.ValueCodec} encodes it
 * </pre>
 */
public final class ContainerLayout
{
    public static final long SEGMENT_MAGIC = 0x504145484A34504DL; // "MP4JHEAP" as a little-endian long
    public static final int SEGMENT_MAGIC_OFFSET = 0;
    public static final int SEGMENT_NUMBER_OFFSET = 8;
    public static final int SEGMENT_MANAGER_OFFSET = 12;
    public static final int SEGMENT_HEADER_LENGTH = 64;
    public static final long FIRST_SEGMENT_SIZE = 4L << 20;
    public static final long MAX_SEGMENT_SIZE = 1L << 30;

    public static final int BLOCK_CLASS_OFFSET = 0;
    public static final int BLOCK_TYPE_OFFSET = 4;
    public static final int BLOCK_NEXT_OFFSET = 8;
    public static final int BLOCK_HEADER_LENGTH = 8;

    public static final int FREE = 0x45455246; // "FREE"
    public static final int REGISTRY = 1;
    public static final int DICT_TABLE = 2;
    public static final int LIST_TABLE = 3;
    public static final int RECORD = 4;

    public static final int DICT = 1;
    public static final int LIST = 2;
    public static final int NAMESPACE = 3;

    public static final int REGISTRY_CAPACITY_OFFSET = 8;
    public static final int REGISTRY_ROWS_OFFSET = 16;
    public static final int REGISTRY_ROW = 16;
    public static final int ROW_KIND_FIELD = 0;
    public static final int ROW_TABLE_FIELD = 8;

    public static final int DICT_INDEX_SLOTS_OFFSET = 8;
    public static final int DICT_ENTRY_CAPACITY_OFFSET = 12;
    public static final int DICT_USED_OFFSET = 16;
    public static final int DICT_LIVE_OFFSET = 20;
    public static final int DICT_INDEX_OFFSET = 24;
    public static final int DICT_ENTRY = 16;
    public static final int ENTRY_HASH_FIELD = 0;
    public static final int ENTRY_RECORD_FIELD = 8;
    public static final int INDEX_EMPTY = 0;
    public static final int INDEX_REMOVED = 1;

    public static final int LIST_CAPACITY_OFFSET = 8;
    public static final int LIST_SIZE_OFFSET = 12;
    public static final int LIST_ROWS_OFFSET = 16;

    public static final int RECORD_KEY_LENGTH_OFFSET = 8;
    public static final int RECORD_VALUE_LENGTH_OFFSET = 12;
    public static final int RECORD_DATA_OFFSET = 16;

    private static final long[] CLASS_SIZES = classSizes();

    /** Size classes: {@link #classSize}(0) .. {@link #classSize}(CLASSES - 1). */
    public static final int CLASSES = CLASS_SIZES.length;
    /** The largest block. */
    public static final long MAX_BLOCK = CLASS_SIZES[CLASS_SIZES.length - 1];

    private ContainerLayout()
    {
    }

    private static long[] classSizes()
    {
        final java.util.List<Long> sizes = new java.util.ArrayList<>(java.util.List.of(16L, 24L));
        for (int exponent = 5; exponent <= 30; exponent++)
        {
            for (int quarter = 0; quarter < 4; quarter++)
            {
                final long size = (4L + quarter) << (exponent - 2);
                if (size <= MAX_SEGMENT_SIZE - SEGMENT_HEADER_LENGTH)
                {
                    sizes.add(size);
                }
            }
        }
        final long[] array = new long[sizes.size()];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = sizes.get(i);
        }
        return array;
    }

    public static long classSize(final int sizeClass)
    {
        return CLASS_SIZES[sizeClass];
    }

    /** The smallest class whose blocks hold {@code bytes} (block header included), or -1 when none does. */
    public static int classFor(final long bytes)
    {
        int low = 0;
        int high = CLASS_SIZES.length - 1;
        if (bytes > CLASS_SIZES[high])
        {
            return -1;
        }
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (CLASS_SIZES[mid] >= bytes)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }
        return low;
    }

    /** Bytes of a dict table with these dimensions. */
    public static long dictTableBytes(final int indexSlots, final int entryCapacity)
    {
        return dictEntriesOffset(indexSlots) + (long)entryCapacity * DICT_ENTRY;
    }

    /** Offset of a dict table's entries from the table's start. */
    public static int dictEntriesOffset(final int indexSlots)
    {
        return (int)((DICT_INDEX_OFFSET + 4L * indexSlots + 7) & ~7L);
    }

    public static long listTableBytes(final int capacity)
    {
        return LIST_ROWS_OFFSET + 8L * capacity;
    }

    public static long registryBytes(final int capacity)
    {
        return REGISTRY_ROWS_OFFSET + (long)REGISTRY_ROW * capacity;
    }

    public static String kindName(final int kind)
    {
        return switch (kind)
        {
            case DICT -> "dict";
            case LIST -> "list";
            case NAMESPACE -> "namespace";
            default -> "unknown(" + kind + ")";
        };
    }
}
