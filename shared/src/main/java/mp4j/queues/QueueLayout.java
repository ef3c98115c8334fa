package mp4j.queues;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The bytes of a {@link Queue}, {@link SimpleQueue} or {@link JoinableQueue} in the session's data area (one
 * QUEUE, SIMPLE_QUEUE or JOINABLE_QUEUE directory entry; {@code count} = maxsize, {@code lockOffset} = the
 * consumer lock). Little-endian; counters each on their own 64-byte line.
 * <pre>
 *   0                   1024                      HEADER_LENGTH (5120)               +C                +T
 *   +-------------------+-------------------------+----------------------------------+-----------------+
 *   | counters, lock,   | ring writes in flight:  | ring: Agrona ManyToOneRingBuffer | ring trailer    |
 *   | holders, spill    | 64 lines of 64 bytes    |                                  |                 |
 *   +-------------------+-------------------------+----------------------------------+-----------------+
 *
 *   offset size  field
 *   0      4     ring capacity C in bytes (a power of two)
 *   4      4     reserved (zero)
 *   8      4     maxsize; 0 = unbounded
 *   12     52    reserved
 *   64     8     values written into the ring
 *   128    8     values read from the ring
 *   192    4     places taken, for a bounded queue: put adds one before writing, get removes one
 *   256    8     unfinished tasks (JoinableQueue): put adds one, taskDone removes one
 *   320    32    consumer lock: a {@code LockWord}; the consumers take turns, one value a turn
 *   352    8     unblocker: (slot + 1) &lt;&lt; 32 | generation of the consumer mending a stuck ring record, or 0;
 *                a producer does not start a ring write while it is set (and its process alive)
 *   360    24    reserved
 *   384    136   producers: the processes that have put, a {@link HoldersLayout} block
 *   520    136   consumers: the processes that have got
 *   656    112   reserved
 *   768    256   spill: where values go when the ring is full or they are bigger than a ring record
 *                ({@link SpillLayout}: its header here, its segments in files beside the session file)
 *   1024   4096  ring writes in flight: per process slot (slot &amp; 63), on a 64-byte line of its own, an
 *                8-byte count of the slot's threads inside a ring write (added to before, taken from after)
 *   5120   C+T   the ring (T = RingBufferDescriptor.TRAILER_LENGTH); records of type {@link RingFraming#WHOLE},
 *                one encoded value each
 * </pre>
 * Values in the queue = (written - read) + (the spill's tailIndex - headIndex).
 * <p>
 * A ring record whose writer stopped between claiming and committing it blocks the consumers. Only a consumer that
 * saw no live process with a ring write in flight (while its unblocker word kept new writes out) turns the record
 * into padding; a live writer that is merely slow or stopped (SIGSTOP) is waited for, as in Python.
 */
public final class QueueLayout
{
    public static final int CAPACITY_OFFSET = 0;
    public static final int MAXSIZE_OFFSET = 8;
    public static final int SENT_OFFSET = 64;
    public static final int RECEIVED_OFFSET = 128;
    public static final int TAKEN_OFFSET = 192;
    public static final int UNFINISHED_OFFSET = 256;
    public static final int CONSUMER_LOCK_OFFSET = 320;
    public static final int UNBLOCKER_OFFSET = 352;
    public static final int PRODUCERS_OFFSET = 384;
    public static final int CONSUMERS_OFFSET = PRODUCERS_OFFSET + HoldersLayout.LENGTH;
    public static final int SPILL_OFFSET = 768;
    public static final int WRITES_IN_FLIGHT_OFFSET = 1024;
    public static final int WRITES_IN_FLIGHT_LINE = 64;
    public static final int WRITES_IN_FLIGHT_LINES = 64;
    public static final int HEADER_LENGTH = WRITES_IN_FLIGHT_OFFSET + WRITES_IN_FLIGHT_LINE * WRITES_IN_FLIGHT_LINES;

    /** Ring bytes unless told: 1 MiB. */
    public static final int DEFAULT_CAPACITY = 1 << 20;
    public static final int MIN_CAPACITY = 4096;
    public static final int MAX_CAPACITY = 1 << 30;

    private QueueLayout()
    {
    }

    /** Bytes of a queue whose ring has {@code ringCapacity} bytes. */
    public static long length(final int ringCapacity)
    {
        return HEADER_LENGTH + (long)ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    public static int ringOffset()
    {
        return HEADER_LENGTH;
    }

    /** The count of ring writes in flight of the process in {@code slot}. */
    public static int writesInFlightOffset(final int slot)
    {
        return WRITES_IN_FLIGHT_OFFSET + (slot & (WRITES_IN_FLIGHT_LINES - 1)) * WRITES_IN_FLIGHT_LINE;
    }
}
