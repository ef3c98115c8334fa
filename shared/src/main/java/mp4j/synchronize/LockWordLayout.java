package mp4j.synchronize;

/**
 * The bytes of a robust lock ({@link LockWord}): every {@link Lock} and {@link RLock} (directory kinds LOCK and
 * RLOCK, whose {@code lockOffset} is their offset), and the lock inside a Value, an Array, a Condition, a queue, a
 * spill and a manager. {@link #LENGTH} bytes at an 8-byte aligned offset; little-endian.
 * <pre>
 *  offset size field       meaning
 *  ------ ---- ----------- ---------------------------------------------------------------------------
 *     0     8  owner       0 when free; else generation&lt;&lt;48 | (slot+1)&lt;&lt;32 | thread id (low 32 bits):
 *                          the owner's process slot, that slot's generation (low 16 bits) when it
 *                          acquired, and its Java thread id. Set by CAS, cleared by a release store.
 *     8     4  count       RLock: recursion depth of the owner (only the owner writes it); Lock: 0
 *    12     4  waiters     threads (of any process) waiting to acquire now; atomic add
 *    16     4  ownerDied   1 while the holder is one that took the lock from a dead owner (EOWNERDEAD)
 *    20     4  recoveries  times the lock was taken from a dead owner
 *    24     8  reserved
 * </pre>
 * An owner whose slot is out of the process table, whose slot now has another generation, or whose process is
 * not alive is dead: the next waiter takes the lock from it ({@link LockWord}).
 */
public final class LockWordLayout
{
    public static final int OWNER_OFFSET = 0;
    public static final int COUNT_OFFSET = 8;
    public static final int WAITERS_OFFSET = 12;
    public static final int OWNER_DIED_OFFSET = 16;
    public static final int RECOVERIES_OFFSET = 20;
    public static final int LENGTH = 32;

    /** Bits of the owner word: the thread id is its low 32 bits, slot + 1 the next 16, the generation the top 16. */
    public static final int OWNER_SLOT_SHIFT = 32;
    public static final int OWNER_GENERATION_SHIFT = 48;

    private LockWordLayout()
    {
    }
}
