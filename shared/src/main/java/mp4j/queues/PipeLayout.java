package mp4j.queues;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The bytes of a {@link Pipe} in the session's data area: one PIPE directory entry per end, both naming the same
 * offset ({@code count} = C, {@code flags} = {@link #FLAG_DUPLEX} when duplex | {@link #FLAG_END_1} for end 1).
 * Ring r carries values to end r: end 1 writes ring 0, end 0 writes ring 1. Little-endian.
 * <pre>
 *   0                  HEADER_LENGTH (1152)    +C+T                    +2(C+T)
 *   +------------------+-----------------------+-----------------------+
 *   | header           | ring 0 (to end 0)     | ring 1 (duplex only)  |
 *   +------------------+-----------------------+-----------------------+
 *
 *   offset  size      field
 *   0       4         ring capacity C in bytes (a power of two)
 *   4       4         flags: 1 = duplex
 *   8       16        reserved (zero)
 *   24      4         end 0 in transit: sent to workers that have not attached yet
 *   28      4         end 1 in transit
 *   32      8         end 0 transit deadline, epoch ms: past it, a worker that never attached stops counting
 *   40      8         end 1 transit deadline
 *   48      16        reserved (zero)
 *   64      136       processes holding end 0 open: a {@link HoldersLayout} block
 *   200     136       processes holding end 1 open
 *   336     48        reserved (zero)
 *   384     8         values written into ring 0 (by end 1)     each counter on its own 64-byte line,
 *   448     8         values read from ring 0 (by end 0)        written by one side only
 *   512     8         values written into ring 1 (by end 0)
 *   576     8         values read from ring 1 (by end 1)
 *   640     256       spill of ring 0: what ring 0 has no room for ({@link SpillLayout})
 *   896     256       spill of ring 1
 *   1152    C + T     ring 0: an Agrona OneToOneRingBuffer (T = RingBufferDescriptor.TRAILER_LENGTH); records as
 *                     {@link RingFraming} draws them (a value longer than a record in pieces)
 *   1152+C+T C + T    ring 1 (duplex only)
 * </pre>
 * Values waiting for end r = (written - read of ring r) + (its spill's tailIndex - headIndex).
 */
public final class PipeLayout
{
    public static final int CAPACITY_OFFSET = 0;
    public static final int FLAGS_OFFSET = 4;
    public static final int TRANSIT_OFFSET = 24;
    public static final int TRANSIT_DEADLINE_OFFSET = 32;
    public static final int HOLDERS_OFFSET = 64;
    public static final int COUNTERS_OFFSET = 384;
    /** Each counter has a 64-byte line of its own: ring r's written, then its read, then ring r + 1's. */
    public static final int COUNTER_LINE = 64;
    public static final int SPILLS_OFFSET = 640;
    public static final int HEADER_LENGTH = 1152;

    public static final int FLAG_DUPLEX = 1;
    public static final int FLAG_END_1 = 2;

    public static final int MIN_CAPACITY = 1024;
    public static final int MAX_CAPACITY = 1 << 30;

    private PipeLayout()
    {
    }

    /** Bytes of a pipe with rings of {@code ringCapacity} bytes. */
    public static long length(final int ringCapacity, final boolean duplex)
    {
        return HEADER_LENGTH + (long)(duplex ? 2 : 1) * (ringCapacity + RingBufferDescriptor.TRAILER_LENGTH);
    }

    public static int ringOffset(final int ringCapacity, final int ring)
    {
        return HEADER_LENGTH + ring * (ringCapacity + RingBufferDescriptor.TRAILER_LENGTH);
    }

    public static int spillOffset(final int ring)
    {
        return SPILLS_OFFSET + ring * SpillLayout.HEADER_LENGTH;
    }

    public static int transitOffset(final int end)
    {
        return TRANSIT_OFFSET + end * 4;
    }

    public static int transitDeadlineOffset(final int end)
    {
        return TRANSIT_DEADLINE_OFFSET + end * 8;
    }

    public static int holdersOffset(final int end)
    {
        return HOLDERS_OFFSET + end * HoldersLayout.LENGTH;
    }

    public static int writtenOffset(final int ring)
    {
        return COUNTERS_OFFSET + ring * 2 * COUNTER_LINE;
    }

    public static int readOffset(final int ring)
    {
        return writtenOffset(ring) + COUNTER_LINE;
    }
}
