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
    public static final int FLAG_OFFSET = 0;
    public static final int WAITERS_OFFSET = 4;
    public static final int SETS_OFFSET = 8;
    public static final int LENGTH = 16;

    private EventLayout()
    {
    }
}
