package mp4j.synchronize;

/**
 * The bytes of an {@link Event} (directory kind EVENT): {@link #LENGTH} bytes, little-endian, 8-byte aligned.
 * <pre>
 *  offset size field    meaning
 *  ------ ---- -------- ----------------------------------------------------------------------------------
 *     0     4  flag     1 set, 0 clear
 *     4     4  waiters  threads waiting now
 *     8     8  sets     times it was set (a waiter also wakes for a set followed at once by a clear)
 * </pre>
 */
public final class EventLayout
{
    /** Offset of the 4-byte flag: 1 set, 0 clear. */
    public static final int FLAG_OFFSET = 0;
    /** Offset of the 4-byte count of waiting threads. */
    public static final int WAITERS_OFFSET = 4;
    /** Offset of the 8-byte count of sets so far. */
    public static final int SETS_OFFSET = 8;
    /** Bytes of an event. */
    public static final int LENGTH = 16;

    private EventLayout()
    {
    }
}
