package mp4j.synchronize;

/**
 * The bytes of a {@link Barrier} (directory kind BARRIER, {@code count} = parties). Little-endian, 8-byte aligned:
 * <pre>
 *  offset size field            meaning
 *  ------ ---- ---------------- ----------------------------------------------------------------------------
 *     0     8  state            generation&lt;&lt;32 | parties arrived in this generation (parties while the
 *                               action runs); CAS
 *     8     4  parties
 *    12     4  broken           1 while broken (until reset)
 *    16     4  brokenGeneration the generation whose waiters must raise, +1; 0 none
 *    20     4  waiters          threads waiting now
 *    24     4  slots            entries of the participant table
 *    28     4  timeoutMs        await()'s default timeout in ms; 0 none
 *    32  4*slots participants   per process slot: the slot generation of the participant in it; 0 none
 *     A     4  actionLength     A = 32 + 4*slots; 0 no action (a barrier made before actions existed ends at A)
 *   A+4     n  action           the action, as mp4j.codec.ValueCodec encodes it
 * </pre>
 */
public final class BarrierLayout
{
    /** Offset of the 8-byte state: generation in the high 32 bits, parties arrived in the low 32. */
    public static final int STATE_OFFSET = 0;
    /** Offset of the 4-byte number of parties. */
    public static final int PARTIES_OFFSET = 8;
    /** Offset of the 4-byte broken flag: 1 while broken, until reset. */
    public static final int BROKEN_OFFSET = 12;
    /** Offset of the 4-byte generation whose waiters must raise, plus one; 0 for none. */
    public static final int BROKEN_GENERATION_OFFSET = 16;
    /** Offset of the 4-byte count of waiting threads. */
    public static final int WAITERS_OFFSET = 20;
    /** Offset of the 4-byte number of entries in the participant table. */
    public static final int SLOTS_OFFSET = 24;
    /** Offset of the 4-byte default timeout of await(), in milliseconds; 0 for none. */
    public static final int TIMEOUT_MS_OFFSET = 28;
    /** Offset of the participant table: one entry per process slot. */
    public static final int PARTICIPANTS_OFFSET = 32;
    /** Bytes of one participant entry: the slot generation of the participant in that slot, 0 for none. */
    public static final int PARTICIPANT_ENTRY = 4;

    private BarrierLayout()
    {
    }
}
