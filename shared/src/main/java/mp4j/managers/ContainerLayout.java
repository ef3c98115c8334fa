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
    /** A segment's first 8 bytes: "MP4JHEAP" as a little-endian long. */
    public static final long SEGMENT_MAGIC = 0x504145484A34504DL; // "MP4JHEAP" as a little-endian long
    /** Offset in a segment of its 8-byte magic. */
    public static final int SEGMENT_MAGIC_OFFSET = 0;
    /** Offset in a segment of its 4-byte number in its manager. */
    public static final int SEGMENT_NUMBER_OFFSET = 8;
    /** Offset in a segment of its manager's 4-byte directory index. */
    public static final int SEGMENT_MANAGER_OFFSET = 12;
    /** Bytes of a segment header: the first block follows it. */
    public static final int SEGMENT_HEADER_LENGTH = 64;
    /** Bytes of a manager's first segment (4 MiB); each later one is twice the last. */
    public static final long FIRST_SEGMENT_SIZE = 4L << 20;
    /** The largest segment (1 GiB). */
    public static final long MAX_SEGMENT_SIZE = 1L << 30;

    /** Offset in a block of its 4-byte size class. */
    public static final int BLOCK_CLASS_OFFSET = 0;
    /** Offset in a block of its 4-byte type. */
    public static final int BLOCK_TYPE_OFFSET = 4;
    /** Offset in a free block of the 8-byte ref of the next free block of its class. */
    public static final int BLOCK_NEXT_OFFSET = 8;
    /** Bytes of a block header: the payload follows it. */
    public static final int BLOCK_HEADER_LENGTH = 8;

    /** Block type: free, on its class's free list ("FREE" in ASCII). */
    public static final int FREE = 0x45455246; // "FREE"
    /** Block type: the container registry. */
    public static final int REGISTRY = 1;
    /** Block type: a dict table (of a dict or a namespace). */
    public static final int DICT_TABLE = 2;
    /** Block type: a list table. */
    public static final int LIST_TABLE = 3;
    /** Block type: a record (one key and value). */
    public static final int RECORD = 4;

    /** Container kind in a registry row: a dict. */
    public static final int DICT = 1;
    /** Container kind in a registry row: a list. */
    public static final int LIST = 2;
    /** Container kind in a registry row: a namespace. */
    public static final int NAMESPACE = 3;

    /** Offset in the registry of its 4-byte row capacity. */
    public static final int REGISTRY_CAPACITY_OFFSET = 8;
    /** Offset in the registry of its first row. */
    public static final int REGISTRY_ROWS_OFFSET = 16;
    /** Bytes of one registry row. */
    public static final int REGISTRY_ROW = 16;
    /** Offset in a registry row of the container's 4-byte kind. */
    public static final int ROW_KIND_FIELD = 0;
    /** Offset in a registry row of the 8-byte ref of the container's table. */
    public static final int ROW_TABLE_FIELD = 8;

    /** Offset in a dict table of its 4-byte number of index slots. */
    public static final int DICT_INDEX_SLOTS_OFFSET = 8;
    /** Offset in a dict table of its 4-byte entry capacity. */
    public static final int DICT_ENTRY_CAPACITY_OFFSET = 12;
    /** Offset in a dict table of its 4-byte count of entries appended, removed ones included. */
    public static final int DICT_USED_OFFSET = 16;
    /** Offset in a dict table of its 4-byte count of keys. */
    public static final int DICT_LIVE_OFFSET = 20;
    /** Offset in a dict table of its index. */
    public static final int DICT_INDEX_OFFSET = 24;
    /** Bytes of one dict entry. */
    public static final int DICT_ENTRY = 16;
    /** Offset in a dict entry of the key's 4-byte hash. */
    public static final int ENTRY_HASH_FIELD = 0;
    /** Offset in a dict entry of the 8-byte ref of its record; 0 once removed. */
    public static final int ENTRY_RECORD_FIELD = 8;
    /** Index slot value: empty. */
    public static final int INDEX_EMPTY = 0;
    /** Index slot value: its entry was removed (probing goes on past it). */
    public static final int INDEX_REMOVED = 1;

    /** Offset in a list table of its 4-byte capacity. */
    public static final int LIST_CAPACITY_OFFSET = 8;
    /** Offset in a list table of its 4-byte size. */
    public static final int LIST_SIZE_OFFSET = 12;
    /** Offset in a list table of its first record ref. */
    public static final int LIST_ROWS_OFFSET = 16;

    /** Offset in a record of its key's 4-byte length (0 in a list). */
    public static final int RECORD_KEY_LENGTH_OFFSET = 8;
    /** Offset in a record of its value's 4-byte length. */
    public static final int RECORD_VALUE_LENGTH_OFFSET = 12;
    /** Offset in a record of the encoded key, then the encoded value. */
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

    /**
     * The size of a class's blocks.
     *
     * @param sizeClass the class, from 0, below {@link #CLASSES}.
     * @return its blocks' size in bytes, header included.
     * @throws ArrayIndexOutOfBoundsException when there is no such class.
     */
    public static long classSize(final int sizeClass)
    {
        return CLASS_SIZES[sizeClass];
    }

    /**
     * The smallest class whose blocks hold {@code bytes}.
     *
     * @param bytes the bytes needed, block header included.
     * @return the class, or -1 when even the largest is too small ({@link #MAX_BLOCK}).
     */
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

    /**
     * Bytes of a dict table with these dimensions.
     *
     * @param indexSlots    the index's slots, a power of two.
     * @param entryCapacity the entries it holds.
     * @return the table's size, block header included.
     */
    public static long dictTableBytes(final int indexSlots, final int entryCapacity)
    {
        return dictEntriesOffset(indexSlots) + (long)entryCapacity * DICT_ENTRY;
    }

    /**
     * Offset of a dict table's entries from the table's start.
     *
     * @param indexSlots the index's slots.
     * @return the offset, after the index, rounded up to 8.
     */
    public static int dictEntriesOffset(final int indexSlots)
    {
        return (int)((DICT_INDEX_OFFSET + 4L * indexSlots + 7) & ~7L);
    }

    /**
     * Bytes of a list table.
     *
     * @param capacity the records it holds.
     * @return the table's size, block header included.
     */
    public static long listTableBytes(final int capacity)
    {
        return LIST_ROWS_OFFSET + 8L * capacity;
    }

    /**
     * Bytes of a registry.
     *
     * @param capacity the rows it holds.
     * @return the registry's size, block header included.
     */
    public static long registryBytes(final int capacity)
    {
        return REGISTRY_ROWS_OFFSET + (long)REGISTRY_ROW * capacity;
    }

    /**
     * A container kind's name, for {@code launcher inspect} and messages.
     *
     * @param kind a registry row's kind.
     * @return "dict", "list" or "namespace"; another value is named with its number.
     */
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
