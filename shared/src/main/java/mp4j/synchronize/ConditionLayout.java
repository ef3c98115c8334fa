package mp4j.synchronize;

/**
 * The bytes of a {@link Condition} (directory kind CONDITION, whose {@code lockOffset} is the lock in use: its
 * own, or the given Lock's or RLock's). {@link #LENGTH} bytes, little-endian, 8-byte aligned:
 * <pre>
 *  offset size field      meaning
 *  ------ ---- ---------- ----------------------------------------------------------------------------------
 *     0    32  lock       its own RLock ({@link LockWordLayout}); unused when given a lock
 *    32     4  sleepers   threads waiting and not yet woken
 *    36     4  signals    wake-ups handed out by notify and not yet taken by a sleeper
 *    40     4  lockEntry  directory index of the given lock; -1 for its own
 *    44     4  reserved
 *    48     8  notified   wake-ups handed out so far
 * </pre>
 */
public final class ConditionLayout
{
    /** Offset of its own RLock (a lock word of LockWordLayout.LENGTH bytes). */
    public static final int LOCK_OFFSET = 0;
    /** Offset of the 4-byte count of threads waiting and not yet woken. */
    public static final int SLEEPERS_OFFSET = 32;
    /** Offset of the 4-byte count of wake-ups handed out and not yet taken. */
    public static final int SIGNALS_OFFSET = 36;
    /** Offset of the 4-byte directory index of the given lock; -1 for its own. */
    public static final int LOCK_ENTRY_OFFSET = 40;
    /** Offset of the 8-byte count of wake-ups handed out so far. */
    public static final int NOTIFIED_OFFSET = 48;
    /** Bytes of a condition. */
    public static final int LENGTH = 56;

    private ConditionLayout()
    {
    }
}
