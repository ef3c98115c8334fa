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
 *   352    32    reserved
 *   384    136   producers: the processes that have put, a {@link HoldersLayout} block
 *   520    136   consumers: the processes that have got
 *   656    48    reserved
 *   704    8     unblocker: (slot + 1) &lt;&lt; 32 | generation of the consumer mending a stuck ring record, or 0;
 *                a producer does not start a ring write while it is set (and its process alive). On a line
 *                of its own: every put reads it, and every get writes the consumer lock's line
 *   712    56    reserved
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
    /** Offset of the ring capacity C in bytes, an int, a power of two; written once, when the queue is made. */
    public static final int CAPACITY_OFFSET = 0;
    /** Offset of maxsize, an int: the most values the queue holds before {@code put} blocks; 0 = unbounded. */
    public static final int MAXSIZE_OFFSET = 8;
    /** Offset of the long count of values ever written into the ring (not the spill). */
    public static final int SENT_OFFSET = 64;
    /** Offset of the long count of values ever read from the ring (not the spill). */
    public static final int RECEIVED_OFFSET = 128;
    /** Offset of the int count of places taken in a bounded queue: put adds one before writing, get removes one. */
    public static final int TAKEN_OFFSET = 192;
    /** Offset of the long count of unfinished tasks of a {@link JoinableQueue}: put adds one, taskDone removes one. */
    public static final int UNFINISHED_OFFSET = 256;
    /** Offset of the consumers' lock, a {@code LockWord} (the directory entry's {@code lockOffset} points here). */
    public static final int CONSUMER_LOCK_OFFSET = 320;
    /**
     * Offset of the unblocker long: {@code (slot + 1) << 32 | generation} of the consumer mending a ring record
     * whose writer stopped, or 0 when none is; producers start no ring write while it names a live process.
     */
    public static final int UNBLOCKER_OFFSET = 704;
    /** Offset of the {@link HoldersLayout} block of the processes that have put. */
    public static final int PRODUCERS_OFFSET = 384;
    /** Offset of the {@link HoldersLayout} block of the processes that have got, right after the producers'. */
    public static final int CONSUMERS_OFFSET = PRODUCERS_OFFSET + HoldersLayout.LENGTH;
    /** Offset of the spill header ({@link SpillLayout#HEADER_LENGTH} bytes). */
    public static final int SPILL_OFFSET = 768;
    /** Offset of the first writes-in-flight line; see {@link #writesInFlightOffset(int)}. */
    public static final int WRITES_IN_FLIGHT_OFFSET = 1024;
    /** Bytes of one writes-in-flight line: a cache line, so that two processes' counts never share one. */
    public static final int WRITES_IN_FLIGHT_LINE = 64;
    /** Writes-in-flight lines, one per process slot modulo 64 (a power of two, so a mask picks the line). */
    public static final int WRITES_IN_FLIGHT_LINES = 64;
    /** Bytes before the ring: 5120. */
    public static final int HEADER_LENGTH = WRITES_IN_FLIGHT_OFFSET + WRITES_IN_FLIGHT_LINE * WRITES_IN_FLIGHT_LINES;

    /** Ring bytes unless told: 1 MiB. */
    public static final int DEFAULT_CAPACITY = 1 << 20;
    /** The smallest capacity a queue accepts, in bytes (4 KiB); asking for less throws IllegalArgumentException. */
    public static final int MIN_CAPACITY = 4096;
    /** The largest capacity a queue accepts, in bytes (1 GiB); asking for more throws IllegalArgumentException. */
    public static final int MAX_CAPACITY = 1 << 30;

    private QueueLayout()
    {
    }

    /**
     * Bytes a queue takes in the session's data area.
     *
     * @param ringCapacity the ring's capacity C in bytes, already rounded up to a power of two (not checked here).
     * @return header, ring and ring trailer: {@link #HEADER_LENGTH} + C + {@code RingBufferDescriptor.TRAILER_LENGTH}.
     */
    public static long length(final int ringCapacity)
    {
        return HEADER_LENGTH + (long)ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Where the ring starts, relative to the queue's offset.
     *
     * @return {@link #HEADER_LENGTH}, the same for every capacity.
     */
    public static int ringOffset()
    {
        return HEADER_LENGTH;
    }

    /**
     * Where the process in a slot counts its threads inside a ring write.
     *
     * @param slot the process's slot in the session; only its low 6 bits pick the line.
     * @return the offset of that slot's 8-byte count, relative to the queue's offset.
     */
    public static int writesInFlightOffset(final int slot)
    {
        return WRITES_IN_FLIGHT_OFFSET + (slot & (WRITES_IN_FLIGHT_LINES - 1)) * WRITES_IN_FLIGHT_LINE;
    }
}
