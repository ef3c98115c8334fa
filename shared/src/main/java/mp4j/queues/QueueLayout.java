package mp4j.queues;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The bytes of a {@link Queue}, {@link SimpleQueue} or {@link JoinableQueue} in the session's data area (one
 * QUEUE, SIMPLE_QUEUE or JOINABLE_QUEUE directory entry; {@code count} = maxsize, {@code lockOffset} = the
 * consumer lock). Little-endian; counters each on their own 64-byte line.
 * <pre>
 *   0                           HEADER_LENGTH (1024)               +C                +T
 *   +---------------------------+----------------------------------+-----------------+
 *   | header                    | ring: Agrona ManyToOneRingBuffer | ring trailer    |
 *   +---------------------------+----------------------------------+-----------------+
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
 *   352    32    reserved
 *   384    136   producers: the processes that have put, a {@link Holders} block
 *   520    136   consumers: the processes that have got
 *   656    112   reserved
 *   768    256   spill: where values go when the ring is full or they are bigger than a ring record
 *                ({@link SpillLayout}: its header here, its segments in files beside the session file)
 *   1024   C+T   the ring (T = RingBufferDescriptor.TRAILER_LENGTH); records of type {@link MessageRing#WHOLE},
 *                one encoded value each
 * </pre>
 * Values in the queue = (written - read) + (the spill's tailIndex - headIndex).
 */
final class QueueLayout
{
    static final int CAPACITY_OFFSET = 0;
    static final int MAXSIZE_OFFSET = 8;
    static final int SENT_OFFSET = 64;
    static final int RECEIVED_OFFSET = 128;
    static final int TAKEN_OFFSET = 192;
    static final int UNFINISHED_OFFSET = 256;
    static final int CONSUMER_LOCK_OFFSET = 320;
    static final int PRODUCERS_OFFSET = 384;
    static final int CONSUMERS_OFFSET = PRODUCERS_OFFSET + Holders.LENGTH;
    static final int SPILL_OFFSET = 768;
    static final int HEADER_LENGTH = 1024;

    /** Ring bytes unless told: 1 MiB. */
    static final int DEFAULT_CAPACITY = 1 << 20;
    static final int MIN_CAPACITY = 4096;
    static final int MAX_CAPACITY = 1 << 30;

    private QueueLayout()
    {
    }

    /** Bytes of a queue whose ring has {@code ringCapacity} bytes. */
    static long length(final int ringCapacity)
    {
        return HEADER_LENGTH + (long)ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    static int ringOffset()
    {
        return HEADER_LENGTH;
    }
}
