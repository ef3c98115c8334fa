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
    public static final int STATE_OFFSET = 0;
    public static final int PARTIES_OFFSET = 8;
    public static final int BROKEN_OFFSET = 12;
    public static final int BROKEN_GENERATION_OFFSET = 16;
    public static final int WAITERS_OFFSET = 20;
    public static final int SLOTS_OFFSET = 24;
    public static final int TIMEOUT_MS_OFFSET = 28;
    public static final int PARTICIPANTS_OFFSET = 32;
    public static final int PARTICIPANT_ENTRY = 4;

    private BarrierLayout()
    {
    }
}
