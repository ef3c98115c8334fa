package mp4j.queues;

/**
 * The bytes of a {@link Holders} block: which processes hold something open (a Pipe end, a queue's producer or
 * consumer side). {@link #LENGTH} bytes inside a queue's or a pipe's header ({@link QueueLayout},
 * {@link PipeLayout}); little-endian.
 * <pre>
 *   offset  size    field
 *   0       8       bit (slot &amp; 63) set while that process slot has at least one open handle
 *   8       2 x 64  per slot (slot &amp; 63): the low 16 bits of the slot's generation when its process opened
 * </pre>
 * A killed process never clears its bit, so readers count a bit only while its slot is alive and still holds
 * the generation recorded here.
 */
public final class HoldersLayout
{
    /** Offset of the 64-bit word whose bit {@code slot & 63} is set while that process slot holds a handle. */
    public static final int BITS_OFFSET = 0;
    /** Offset of the first of {@link #SLOTS} generation entries, one per bit of the bits word. */
    public static final int GENERATIONS_OFFSET = 8;
    /** Bytes of one generation entry: the low 16 bits of the slot's generation when its process opened. */
    public static final int GENERATION_ENTRY = 2;
    /**
     * Process slots one block tells apart: slot numbers are taken modulo 64, so two live processes whose slots
     * differ by a multiple of 64 share an entry.
     */
    public static final int SLOTS = 64;
    /** Bytes of one block: 136. */
    public static final int LENGTH = GENERATIONS_OFFSET + GENERATION_ENTRY * SLOTS;

    private HoldersLayout()
    {
    }
}
