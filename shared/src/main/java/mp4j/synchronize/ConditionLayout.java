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
    public static final int LOCK_OFFSET = 0;
    public static final int SLEEPERS_OFFSET = 32;
    public static final int SIGNALS_OFFSET = 36;
    public static final int LOCK_ENTRY_OFFSET = 40;
    public static final int NOTIFIED_OFFSET = 48;
    public static final int LENGTH = 56;

    private ConditionLayout()
    {
    }
}
