package mp4j.synchronize;

/**
 * The bytes of a {@link Semaphore} or {@link BoundedSemaphore} (directory kinds SEMAPHORE and BOUNDED_SEMAPHORE;
 * {@code flags} {@link #FLAG_NOT_ROBUST} when made with {@code robust=false}). Little-endian, 8-byte aligned:
 * <pre>
 *  offset size field      meaning
 *  ------ ---- ---------- ------------------------------------------------------------------------------
 *     0     8  value      permits available; CAS
 *     8     8  bound      a BoundedSemaphore's maximum value; Long.MAX_VALUE for a Semaphore
 *    16     4  waiters    threads waiting now
 *    20     4  slots      entries in the held table (the session's process slots)
 *    24     4  recovered  permits given back from dead holders so far
 *    28     4  reserved
 *    32  8*slots held     per process slot: generation&lt;&lt;32 | permits that process holds
 * </pre>
 * A held entry counts only while its generation is the slot's: a slot reused by another process holds nothing.
 */
public final class SemaphoreLayout
{
    public static final int VALUE_OFFSET = 0;
    public static final int BOUND_OFFSET = 8;
    public static final int WAITERS_OFFSET = 16;
    public static final int SLOTS_OFFSET = 20;
    public static final int RECOVERED_OFFSET = 24;
    public static final int HELD_OFFSET = 32;
    public static final int HELD_ENTRY = 8;
    /** Directory entry flag: permits are not given back when their holder dies. */
    public static final int FLAG_NOT_ROBUST = 1;

    private SemaphoreLayout()
    {
    }
}
