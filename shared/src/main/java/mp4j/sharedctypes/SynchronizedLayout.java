package mp4j.sharedctypes;

/**
 * The bytes of a {@link Value} or an {@link Array} (directory kinds VALUE and ARRAY). The entry's
 * {@code typeCode} is the Python type code ({@link CTypes}), {@code count} the number of elements (1 for a
 * Value), {@code lockOffset} the lock in use (its own, or the given Lock's or RLock's; -1 when none), and
 * {@code flags} which one that is: {@link #NO_LOCK}, {@link #OWN_RLOCK} or {@link #GIVEN_LOCK}. Little-endian:
 * <pre>
 *  offset size field      meaning
 *  ------ ---- ---------- -----------------------------------------------------------------------------
 *     0    32  lock       the object's own RLock (mp4j.synchronize.LockWordLayout); unused without one
 *    32     4  lockEntry  directory index of the Lock/RLock it was given; -1 for its own or none
 *    36     4  reserved
 *    40     8  value      a Value's value (aligned 8, CTypes.size(typeCode) bytes used); reserved in an Array
 *    48    16  reserved
 *    64     .  elements   an Array's elements, count * CTypes.size(typeCode) bytes, each aligned to its size
 * </pre>
 */
public final class SynchronizedLayout
{
    public static final int LOCK_OFFSET = 0;
    public static final int LOCK_ENTRY_OFFSET = 32;
    public static final int VALUE_OFFSET = 40;
    public static final int ELEMENTS_OFFSET = 64;
    public static final int HEADER_LENGTH = 64;

    /** The entry's flags: which lock guards the object. */
    public static final int NO_LOCK = 0;
    public static final int OWN_RLOCK = 1;
    public static final int GIVEN_LOCK = 2;

    private SynchronizedLayout()
    {
    }
}
