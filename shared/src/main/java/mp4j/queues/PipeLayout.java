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
    /** Offset of the ring capacity C in bytes, an int, a power of two, the same for both rings. */
    public static final int CAPACITY_OFFSET = 0;
    /** Offset of the pipe's flags, an int: {@link #FLAG_DUPLEX} or 0. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of end 0's in-transit count (an int), end 1's right after; see {@link #transitOffset(int)}. */
    public static final int TRANSIT_OFFSET = 24;
    /** Offset of end 0's transit deadline (a long), end 1's right after; see {@link #transitDeadlineOffset(int)}. */
    public static final int TRANSIT_DEADLINE_OFFSET = 32;
    /** Offset of end 0's {@link HoldersLayout} block, end 1's right after; see {@link #holdersOffset(int)}. */
    public static final int HOLDERS_OFFSET = 64;
    /** Offset of the first of the four value counters; see {@link #writtenOffset(int)}, {@link #readOffset(int)}. */
    public static final int COUNTERS_OFFSET = 384;
    /** Each counter has a 64-byte line of its own: ring r's written, then its read, then ring r + 1's. */
    public static final int COUNTER_LINE = 64;
    /** Offset of ring 0's spill header, ring 1's right after; see {@link #spillOffset(int)}. */
    public static final int SPILLS_OFFSET = 640;
    /** Bytes before ring 0. */
    public static final int HEADER_LENGTH = 1152;

    /** Flag of a duplex pipe, in the header and in both ends' directory entries: there is a ring 1. */
    public static final int FLAG_DUPLEX = 1;
    /** Flag of end 1's directory entry (never in the header): the entry names the end that writes ring 0. */
    public static final int FLAG_END_1 = 2;

    /** The smallest capacity a pipe accepts, in bytes (1 KiB); asking for less throws IllegalArgumentException. */
    public static final int MIN_CAPACITY = 1024;
    /** The largest capacity a pipe accepts, in bytes (1 GiB); asking for more throws IllegalArgumentException. */
    public static final int MAX_CAPACITY = 1 << 30;

    private PipeLayout()
    {
    }

    /**
     * Bytes a pipe takes in the session's data area.
     *
     * @param ringCapacity each ring's capacity C in bytes, already rounded up to a power of two (not checked here).
     * @param duplex       true for two rings (both ends send), false for one (end 1 sends to end 0).
     * @return the header and one or two rings with their trailers.
     */
    public static long length(final int ringCapacity, final boolean duplex)
    {
        return HEADER_LENGTH + (long)(duplex ? 2 : 1) * (ringCapacity + RingBufferDescriptor.TRAILER_LENGTH);
    }

    /**
     * Where a ring starts, relative to the pipe's offset.
     *
     * @param ringCapacity the rings' capacity C in bytes, as in the header.
     * @param ring         0, the ring end 0 reads, or 1, the ring end 1 reads (duplex only).
     * @return the offset of the ring's first byte.
     */
    public static int ringOffset(final int ringCapacity, final int ring)
    {
        return HEADER_LENGTH + ring * (ringCapacity + RingBufferDescriptor.TRAILER_LENGTH);
    }

    /**
     * Where a ring's spill header is.
     *
     * @param ring 0 or 1; the spill takes what that ring has no room for.
     * @return the offset of its {@link SpillLayout} header, relative to the pipe's offset.
     */
    public static int spillOffset(final int ring)
    {
        return SPILLS_OFFSET + ring * SpillLayout.HEADER_LENGTH;
    }

    /**
     * Where an end counts its copies in transit: sent to a worker that has not attached yet, so that the other end
     * does not see it closed meanwhile.
     *
     * @param end 0 or 1.
     * @return the offset of that end's int count, relative to the pipe's offset.
     */
    public static int transitOffset(final int end)
    {
        return TRANSIT_OFFSET + end * 4;
    }

    /**
     * Where an end's transit deadline is: epoch milliseconds after which its in-transit count no longer keeps it
     * open (a worker it was sent to never attached).
     *
     * @param end 0 or 1.
     * @return the offset of that end's long deadline, relative to the pipe's offset.
     */
    public static int transitDeadlineOffset(final int end)
    {
        return TRANSIT_DEADLINE_OFFSET + end * 8;
    }

    /**
     * Where an end records the processes that hold it open.
     *
     * @param end 0 or 1.
     * @return the offset of that end's {@link HoldersLayout} block, relative to the pipe's offset.
     */
    public static int holdersOffset(final int end)
    {
        return HOLDERS_OFFSET + end * HoldersLayout.LENGTH;
    }

    /**
     * Where a ring counts the values written into it (by its one writing end).
     *
     * @param ring 0 (written by end 1) or 1 (written by end 0).
     * @return the offset of the long count, on a 64-byte line of its own, relative to the pipe's offset.
     */
    public static int writtenOffset(final int ring)
    {
        return COUNTERS_OFFSET + ring * 2 * COUNTER_LINE;
    }

    /**
     * Where a ring counts the values read from it (by the end it carries values to).
     *
     * @param ring 0 (read by end 0) or 1 (read by end 1).
     * @return the offset of the long count, on a 64-byte line of its own, relative to the pipe's offset.
     */
    public static int readOffset(final int ring)
    {
        return writtenOffset(ring) + COUNTER_LINE;
    }
}
