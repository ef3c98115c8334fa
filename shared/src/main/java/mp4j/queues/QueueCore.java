package mp4j.queues;

import mp4j.codec.ValueCodec;
import mp4j.session.CurrentSlot;
import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.synchronize.LockWord;
import org.agrona.BitUtil;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.Map;

/**
 * The machinery of {@link Queue}, {@link SimpleQueue} and {@link JoinableQueue}: many producers, of any process
 * and thread, write values into an Agrona {@link ManyToOneRingBuffer} without a lock; consumers take turns, one
 * value per turn, under a robust cross-process {@link LockWord} (a killed consumer's turn is taken over).
 * A value longer than a ring record goes through a second ring, in fragments, written under a second lock so
 * that one such value at a time is in flight; the main ring gets a MARKER record in its place (see
 * {@link MessageRing}).
 * <p>
 * A producer killed between claiming ring space and committing it leaves a record that blocks consumers; so does
 * a consumer killed inside Agrona's read, after it zeroed the bytes read and before it moved the head past them.
 * The consumer holding the turn calls Agrona's {@code unblock()} after {@link #UNBLOCK_AFTER_DEAD_NS} when a
 * producer of the queue has died or the turn was taken from a dead consumer, after {@link #UNBLOCK_AFTER_ANY_NS}
 * in any case.
 * <pre>
 *   offset   size    field
 *   0        4       main ring capacity C (a power of two)
 *   4        4       overflow ring capacity O (a power of two)
 *   8        4       maxsize; 0 = unbounded
 *   12       4       reserved
 *   16       16      reserved
 *   32       8       next sequence number of a value sent through the overflow ring
 *   40       24      reserved
 *   64       8       values written (both rings)             each on its own 64-byte line
 *   128      8       values read
 *   192      4       places taken, for a bounded queue: put adds one before writing, get removes one
 *   256      8       unfinished tasks (JoinableQueue): put adds one, taskDone removes one
 *   320      32      consumer lock: a {@link LockWord}
 *   384      32      overflow (big value) lock: a {@link LockWord}
 *   448      136     producers: the processes that have put, a {@link Holders} block
 *   584      136     consumers: the processes that have got
 *   720      48      reserved
 *   768      C + T   main ring: ManyToOneRingBuffer (T = RingBufferDescriptor.TRAILER_LENGTH)
 *   768+C+T  O + T   overflow ring: ManyToOneRingBuffer, one writer at a time
 * </pre>
 * Directory entry: {@code count} = maxsize, {@code lockOffset} = the consumer lock.
 */
final class QueueCore
{
    public static final int DEFAULT_CAPACITY = 1 << 20;
    static final int OVERFLOW_CAPACITY = 64 * 1024;
    static final long UNBLOCK_AFTER_DEAD_NS = 100_000_000L;
    static final long UNBLOCK_AFTER_ANY_NS = 10_000_000_000L;

    static final int CAPACITY_OFFSET = 0;
    static final int OVERFLOW_CAPACITY_OFFSET = 4;
    static final int MAXSIZE_OFFSET = 8;
    static final int PRODUCERS_OFFSET = 448;
    static final int CONSUMERS_OFFSET = 584;
    static final int SEQ_OFFSET = 32;
    static final int SENT_OFFSET = 64;
    static final int RECEIVED_OFFSET = 128;
    static final int TAKEN_OFFSET = 192;
    static final int UNFINISHED_OFFSET = 256;
    static final int CONSUMER_LOCK_OFFSET = 320;
    static final int BIG_LOCK_OFFSET = 384;
    static final int HEADER_LENGTH = 768;

    /** What one producing thread needs: its own encoder, scratch and waiting state. */
    private static final class Producer
    {
        final ValueCodec codec = new ValueCodec();
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
        final Waiting wait = new Waiting(() -> false);
    }

    private final Session session;
    private final DirectoryEntry entry;
    private final AtomicBuffer header;
    private final int maxsize;
    private final MessageRing main;
    private final MessageRing overflow;
    private final LockWord consumerLock;
    private final LockWord bigLock;
    private final ProcessTable table;
    private final ThreadLocal<Producer> producers = ThreadLocal.withInitial(Producer::new);
    /** Used under the consumer lock only. */
    private final ValueCodec consumerCodec = new ValueCodec();
    /** Checks for a ring blocked by a dead producer at the liveness-check pace, not on every spin. */
    private final Waiting consumerWait = new Waiting(this::unblockIfStuck);
    private long stuckSince;
    private long stuckAt;
    private boolean unblocked;
    /** Set when this consumer took the turn from a dead one, until a value is read. */
    private boolean consumerDied;
    private final Waiting overflowWait;
    private int writerSlot;
    private int writerGeneration;
    /** Plain: a thread that misses another's write only opens the holder bit once more, which is harmless. */
    private boolean producerMarked;
    private boolean consumerMarked;
    private volatile boolean closed;

    static DirectoryEntry allocate(
        final Session session, final ObjectKind kind, final String name, final int maxsize, final int capacity)
    {
        if (maxsize < 0)
        {
            throw new IllegalArgumentException("maxsize must be 0 (unbounded) or positive, got " + maxsize);
        }
        if (capacity < 4096 || capacity > 1 << 30)
        {
            throw new IllegalArgumentException("queue capacity must be between 4 KiB and 1 GiB, got " + capacity);
        }
        final int ringCapacity = BitUtil.findNextPositivePowerOfTwo(capacity);
        final long length = HEADER_LENGTH + ringCapacity + OVERFLOW_CAPACITY + 2L * RingBufferDescriptor.TRAILER_LENGTH;
        final long offset = session.allocate(length, "a queue's buffer (" + length + " bytes)");
        final AtomicBuffer buffer = session.buffer();
        buffer.putInt((int)offset + CAPACITY_OFFSET, ringCapacity);
        buffer.putInt((int)offset + OVERFLOW_CAPACITY_OFFSET, OVERFLOW_CAPACITY);
        buffer.putIntOrdered((int)offset + MAXSIZE_OFFSET, maxsize);
        return session.directory().add(kind, name, 0, offset, length, offset + CONSUMER_LOCK_OFFSET, maxsize, 0);
    }

    QueueCore(final Session session, final DirectoryEntry entry)
    {
        this.session = session;
        this.entry = entry;
        final int base = Math.toIntExact(entry.offset());
        this.header = new UnsafeBuffer(session.buffer(), base, HEADER_LENGTH);
        final int capacity = header.getIntVolatile(CAPACITY_OFFSET);
        final int overflowCapacity = header.getInt(OVERFLOW_CAPACITY_OFFSET);
        if (Integer.bitCount(capacity) != 1 || Integer.bitCount(overflowCapacity) != 1 ||
            HEADER_LENGTH + (long)capacity + overflowCapacity + 2L * RingBufferDescriptor.TRAILER_LENGTH != entry.length())
        {
            throw new IllegalStateException("queue '" + entry.name() + "' has a damaged header (capacities " +
                capacity + " and " + overflowCapacity + " for " + entry.length() + " bytes)");
        }
        this.maxsize = header.getInt(MAXSIZE_OFFSET);
        final int mainOffset = base + HEADER_LENGTH;
        final int overflowOffset = mainOffset + capacity + RingBufferDescriptor.TRAILER_LENGTH;
        this.main = new MessageRing(new ManyToOneRingBuffer(new UnsafeBuffer(session.buffer(), mainOffset,
            capacity + RingBufferDescriptor.TRAILER_LENGTH)), header, SENT_OFFSET, RECEIVED_OFFSET, true);
        this.overflow = new MessageRing(new ManyToOneRingBuffer(new UnsafeBuffer(session.buffer(), overflowOffset,
            overflowCapacity + RingBufferDescriptor.TRAILER_LENGTH)), header, SENT_OFFSET, RECEIVED_OFFSET, true);
        this.consumerLock = new LockWord(session, base + CONSUMER_LOCK_OFFSET);
        this.bigLock = new LockWord(session, base + BIG_LOCK_OFFSET);
        this.table = session.processTable();
        this.overflowWait = new Waiting(this::overflowWriterGone);
    }

    String name()
    {
        return entry.name();
    }

    /** For tests that play a producer killed half-way. */
    MessageRing mainRing()
    {
        return main;
    }

    MessageRing overflowRing()
    {
        return overflow;
    }

    AtomicBuffer header()
    {
        return header;
    }

    int maxsize()
    {
        return maxsize;
    }

    /**
     * Puts {@code value}.
     *
     * @param timeoutNanos -1 waits as long as it takes (when {@code block}).
     * @param joinable     counts an unfinished task.
     * @throws Full when there is no room and {@code block} is false, or none came within the timeout.
     */
    void put(final Object value, final boolean block, final long timeoutNanos, final boolean joinable)
        throws InterruptedException
    {
        checkOpen();
        final Producer producer = producers.get();
        final int length = producer.codec.encode(value, producer.scratch, 0);
        if (!producerMarked)
        {
            producerMarked = true;
            Holders.open(session.name(), header, PRODUCERS_OFFSET, table);
        }
        final Waiting wait = producer.wait;
        boolean waitStarted = false;
        if (maxsize > 0)
        {
            while (!takePlace())
            {
                if (!block)
                {
                    throw fullError();
                }
                if (!waitStarted)
                {
                    wait.start(timeoutNanos);
                    waitStarted = true;
                }
                if (!wait.await(false))
                {
                    throw fullError();
                }
            }
        }
        if (joinable)
        {
            header.getAndAddLong(UNFINISHED_OFFSET, 1);
        }
        boolean written = false;
        try
        {
            if (main.tryWrite(producer.scratch, 0, length))
            {
                written = true;
                return;
            }
            if (!waitStarted)
            {
                wait.start(block ? timeoutNanos : 0);
            }
            written = length <= main.ring().maxMsgLength() ?
                main.write(producer.scratch, 0, length, wait) : putBig(producer, length, wait, block, timeoutNanos);
            if (!written)
            {
                throw fullError();
            }
        }
        finally
        {
            if (!written)
            {
                if (maxsize > 0)
                {
                    header.getAndAddInt(TAKEN_OFFSET, -1);
                }
                if (joinable)
                {
                    header.getAndAddLong(UNFINISHED_OFFSET, -1);
                }
            }
        }
    }

    private boolean putBig(
        final Producer producer, final int length, final Waiting wait, final boolean block, final long timeoutNanos)
        throws InterruptedException
    {
        final long me = bigLock.me();
        if (bigLock.acquire(me, block ? timeoutNanos : 0) == LockWord.TIMED_OUT)
        {
            return false;
        }
        try
        {
            final long seq = header.getLong(SEQ_OFFSET);
            header.putLongOrdered(SEQ_OFFSET, seq + 1);
            final int slot = CurrentSlot.get();
            while (!main.tryWriteMarker(seq, slot, table.generation(slot)))
            {
                if (!wait.await(false))
                {
                    return false;
                }
            }
            // the marker is out: from here the value must follow, whatever the timeout
            return overflow.write(producer.scratch, 0, length, wait, seq);
        }
        finally
        {
            bigLock.release();
        }
    }

    private boolean takePlace()
    {
        while (true)
        {
            final int taken = header.getIntVolatile(TAKEN_OFFSET);
            if (taken >= maxsize)
            {
                return false;
            }
            if (header.compareAndSetInt(TAKEN_OFFSET, taken, taken + 1))
            {
                return true;
            }
        }
    }

    /**
     * Gets the next value.
     *
     * @param timeoutNanos -1 waits as long as it takes (when {@code block}).
     * @throws Empty when nothing came (or the consumers' turn did not) in time, or at once when not blocking.
     */
    Object get(final boolean block, final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        if (!consumerMarked)
        {
            consumerMarked = true;
            Holders.open(session.name(), header, CONSUMERS_OFFSET, table);
        }
        final long began = block && timeoutNanos > 0 ? System.nanoTime() : 0;
        final long me = consumerLock.me();
        final long lockTimeout = !block ? 0 : timeoutNanos < 0 ? LockWord.FOREVER : Math.max(1, timeoutNanos);
        final int acquired = consumerLock.acquire(me, lockTimeout);
        if (acquired == LockWord.TIMED_OUT)
        {
            throw emptyError();
        }
        if (acquired == LockWord.RECOVERED)
        {
            consumerDied = true; // it may have died inside a read, leaving zeroed bytes the head has not passed
        }
        try
        {
            Waiting wait = null;
            while (true)
            {
                Object value = main.read(consumerCodec, wait == null ? consumerWait.lazy(-1) : wait);
                if (value == MessageRing.MARKED)
                {
                    value = readOverflow();
                    if (value == MessageRing.NOTHING)
                    {
                        continue; // its writer died before finishing it
                    }
                }
                if (value != MessageRing.NOTHING)
                {
                    if (maxsize > 0)
                    {
                        header.getAndAddInt(TAKEN_OFFSET, -1);
                    }
                    consumerDied = false;
                    return value;
                }
                if (unblocked)
                {
                    unblocked = false;
                    continue;
                }
                if (!block)
                {
                    throw emptyError();
                }
                if (wait == null)
                {
                    wait = consumerWait.start(timeoutNanos < 0 ? -1 :
                        Math.max(0, timeoutNanos - (System.nanoTime() - began)));
                }
                if (!wait.await(false))
                {
                    throw emptyError();
                }
            }
        }
        finally
        {
            consumerLock.release();
        }
    }

    /**
     * Called now and then while a consumer waits: when ring space is claimed and the consumer has not moved since
     * the last call, a producer is at work or died at it; unblocks after {@link #UNBLOCK_AFTER_DEAD_NS} if one of
     * the queue's producers is dead, after {@link #UNBLOCK_AFTER_ANY_NS} anyway.
     *
     * @return false: consumers wait for producers to come, however long.
     */
    private boolean unblockIfStuck()
    {
        final RingBuffer ring = main.ring();
        final long head = ring.consumerPosition();
        if (ring.producerPosition() == head)
        {
            stuckSince = 0;
            return false;
        }
        final long now = System.nanoTime();
        if (stuckSince == 0 || stuckAt != head)
        {
            stuckSince = now;
            stuckAt = head;
            return false;
        }
        if (now - stuckSince > UNBLOCK_AFTER_ANY_NS || now - stuckSince > UNBLOCK_AFTER_DEAD_NS &&
            (consumerDied || Holders.anyDead(header, PRODUCERS_OFFSET, table)))
        {
            unblocked = ring.unblock();
            stuckSince = 0;
        }
        return false;
    }

    /** The value a MARKER stands for, or NOTHING when its writer died before it was all written. */
    private Object readOverflow() throws InterruptedException
    {
        final long seq = main.markerSeq();
        writerSlot = main.markerSlot();
        writerGeneration = main.markerGeneration();
        final Waiting wait = overflowWait.start(-1);
        while (true)
        {
            final Object value = overflow.read(consumerCodec, wait, seq);
            if (value == MessageRing.SUPERSEDED)
            {
                return MessageRing.NOTHING;
            }
            if (value != MessageRing.NOTHING)
            {
                return value;
            }
            if (wait.otherSideGone() || !wait.await(false))
            {
                // its writer is dead: a record it claimed and never committed would block the next value
                while (overflow.ring().unblock())
                {
                    Thread.onSpinWait();
                }
                overflow.abandonPartial();
                return MessageRing.NOTHING;
            }
        }
    }

    private boolean overflowWriterGone()
    {
        final int slot = writerSlot;
        if (slot == CurrentSlot.get())
        {
            return false;
        }
        return slot < 0 || slot >= table.slotCount() ||
            (table.generation(slot) & 0xFFFF) != (writerGeneration & 0xFFFF) || !table.isAlive(slot);
    }

    long qsize()
    {
        return main.depth();
    }

    boolean full()
    {
        return maxsize > 0 && header.getIntVolatile(TAKEN_OFFSET) >= maxsize;
    }

    void taskDone()
    {
        while (true)
        {
            final long unfinished = header.getLongVolatile(UNFINISHED_OFFSET);
            if (unfinished <= 0)
            {
                throw new IllegalStateException("taskDone() called more times than there were items put on '" +
                    name() + "' (Python's ValueError)");
            }
            if (header.compareAndSetLong(UNFINISHED_OFFSET, unfinished, unfinished - 1))
            {
                return;
            }
        }
    }

    /** Waits until every item put has had its taskDone; false when the timeout passed first. */
    boolean join(final long timeoutNanos) throws InterruptedException
    {
        final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 2_000, 1_000, 1_000_000);
        final long deadline = System.nanoTime() + timeoutNanos;
        while (header.getLongVolatile(UNFINISHED_OFFSET) > 0)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException();
            }
            if (timeoutNanos >= 0 && System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            idle.idle();
        }
        return true;
    }

    long unfinished()
    {
        return header.getLongVolatile(UNFINISHED_OFFSET);
    }

    void close()
    {
        closed = true;
    }

    boolean isClosed()
    {
        return closed;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("queue '" + name() + "' is closed in this process (Python's ValueError)");
        }
    }

    private Full fullError()
    {
        return new Full("queue '" + name() + "' is full" + (maxsize > 0 ? " (maxsize " + maxsize + ")" : ""));
    }

    private Empty emptyError()
    {
        return new Empty("queue '" + name() + "' is empty");
    }

    /** Inspector: depth, capacity, live producer and consumer processes, and the unfinished tasks of a JoinableQueue. */
    static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        final AtomicBuffer buffer = session.buffer();
        final int base = Math.toIntExact(entry.offset());
        final long depth = buffer.getLongVolatile(base + SENT_OFFSET) - buffer.getLongVolatile(base + RECEIVED_OFFSET);
        out.put("depth", Math.max(0, depth));
        final int maxsize = buffer.getInt(base + MAXSIZE_OFFSET);
        out.put("maxsize", maxsize);
        out.put("capacity", buffer.getInt(base + CAPACITY_OFFSET));
        out.put("producers", Holders.countAlive(buffer, base + PRODUCERS_OFFSET, session.processTable()));
        out.put("consumers", Holders.countAlive(buffer, base + CONSUMERS_OFFSET, session.processTable()));
        out.put("sent", buffer.getLongVolatile(base + SENT_OFFSET));
        if (entry.kind() == ObjectKind.JOINABLE_QUEUE)
        {
            out.put("unfinished", buffer.getLongVolatile(base + UNFINISHED_OFFSET));
        }
        LockWord.describe(session, base + CONSUMER_LOCK_OFFSET, out);
    }
}
