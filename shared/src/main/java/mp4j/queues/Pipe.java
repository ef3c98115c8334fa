package mp4j.queues;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import org.agrona.BitUtil;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Python's {@code multiprocessing.Pipe(duplex)}: two {@link Connection}s over rings in the session's data area.
 * Duplex (the default), each end sends and receives; otherwise {@code conn1} only receives and {@code conn2}
 * only sends, as in Python. Pass a connection to a worker as an argument: the worker attaches to the same rings.
 * <p>
 * The pipe's bytes (one {@code PIPE} directory entry per end, both naming the same offset):
 * <pre>
 *   offset  size      field
 *   0       4         ring capacity C in bytes (a power of two)
 *   4       4         flags: 1 = duplex
 *   8       16        reserved (zero)
 *   24      4         end 0 in transit: sent to workers that have not attached yet
 *   28      4         end 1 in transit
 *   32      8         end 0 transit deadline, epoch ms: past it, a worker that never attached stops counting
 *   40      8         end 1 transit deadline
 *   48      16        reserved (zero)
 *   64      136       processes holding end 0 open: a {@link Holders} block
 *   200     136       processes holding end 1 open
 *   336     48        reserved (zero)
 *   384     8         values written into ring 0 (by end 1)     each counter on its own 64-byte line,
 *   448     8         values read from ring 0 (by end 0)        written by one side only
 *   512     8         values written into ring 1 (by end 0)
 *   576     8         values read from ring 1 (by end 1)
 *   640     C + T     ring 0, read by end 0: an Agrona OneToOneRingBuffer (T = its trailer,
 *                     RingBufferDescriptor.TRAILER_LENGTH); records as in {@link MessageRing}
 *   640+C+T C + T     ring 1, read by end 1 (duplex only)
 * </pre>
 * Directory entry: {@code count} = C, {@code flags} = 1 when duplex | 2 for end 1.
 *
 * @param conn1 end 0: receives only when not duplex.
 * @param conn2 end 1: sends only when not duplex.
 */
public record Pipe(Connection conn1, Connection conn2)
{
    /** Ring bytes per direction unless told: Linux's pipe buffer is 64 KiB; more ring lets a burst through. */
    public static final int DEFAULT_CAPACITY = 256 * 1024;

    static final int CAPACITY_OFFSET = 0;
    static final int FLAGS_OFFSET = 4;
    static final int HOLDERS_OFFSET = 64;
    static final int TRANSIT_OFFSET = 24;
    static final int TRANSIT_DEADLINE_OFFSET = 32;
    static final int COUNTERS_OFFSET = 384;
    /** How long an end sent to a worker counts as held before the worker attaches (JVM start on a busy machine). */
    static final long TRANSIT_GRACE_MS = 60_000;
    static final int HEADER_LENGTH = 640;
    static final int FLAG_DUPLEX = 1;
    static final int FLAG_END_1 = 2;

    /** {@code Pipe(duplex=True)} in the current session. */
    public static Pipe create()
    {
        return create(true);
    }

    public static Pipe create(final boolean duplex)
    {
        return create(Session.current(), null, duplex, DEFAULT_CAPACITY);
    }

    /**
     * @param name     null for a generated one ("Pipe-7"; end 1 is "Pipe-7.1").
     * @param capacity ring bytes per direction, rounded up to a power of two; the largest single record is an
     *                 eighth of it, larger values go in fragments.
     */
    public static Pipe create(final Session session, final String name, final boolean duplex, final int capacity)
    {
        if (capacity < 1024 || capacity > 1 << 30)
        {
            throw new IllegalArgumentException("pipe capacity must be between 1 KiB and 1 GiB, got " + capacity);
        }
        final int ringCapacity = BitUtil.findNextPositivePowerOfTwo(capacity);
        final long length = HEADER_LENGTH + (long)(duplex ? 2 : 1) * (ringCapacity + RingBufferDescriptor.TRAILER_LENGTH);
        final long offset = session.allocate(length);
        session.buffer().putInt((int)offset + CAPACITY_OFFSET, ringCapacity);
        session.buffer().putIntOrdered((int)offset + FLAGS_OFFSET, duplex ? FLAG_DUPLEX : 0);
        final int flags = duplex ? FLAG_DUPLEX : 0;
        final DirectoryEntry end0 = session.directory().add(ObjectKind.PIPE, name, 0, offset, length, -1,
            ringCapacity, flags);
        final DirectoryEntry end1 = session.directory().add(ObjectKind.PIPE, end0.name() + ".1", 0, offset, length,
            -1, ringCapacity, flags | FLAG_END_1);
        return new Pipe(new Connection(session, end0, false), new Connection(session, end1, false));
    }

    static int ringOffset(final int ringCapacity, final int ring)
    {
        return HEADER_LENGTH + ring * (ringCapacity + RingBufferDescriptor.TRAILER_LENGTH);
    }

    static int transitOffset(final int end)
    {
        return TRANSIT_OFFSET + end * 4;
    }

    static int transitDeadlineOffset(final int end)
    {
        return TRANSIT_DEADLINE_OFFSET + end * 8;
    }

    static int holdersOffset(final int end)
    {
        return HOLDERS_OFFSET + end * Holders.LENGTH;
    }

    static int writtenOffset(final int ring)
    {
        return COUNTERS_OFFSET + ring * 128;
    }

    static int readOffset(final int ring)
    {
        return COUNTERS_OFFSET + 64 + ring * 128;
    }
}
