package mp4j.queues;

import mp4j.codec.CodecException;
import mp4j.codec.ValueCodec;
import mp4j.session.CurrentSlot;
import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.synchronize.LockWord;
import mp4j.util.WaitLoop;
import org.agrona.BitUtil;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The machinery of {@link Queue}, {@link SimpleQueue} and {@link JoinableQueue} (their bytes:
 * {@link QueueLayout}). Many producers, of any process and thread, write values into an Agrona
 * {@link ManyToOneRingBuffer} without a lock; consumers take turns, one value per turn, under a robust
 * cross-process {@link LockWord} (a killed consumer's turn is taken over).
 * <p>
 * When the ring has no room, or a value is bigger than a ring record, the value goes to the queue's {@link Spill}
 * instead: segment files beside the session file, read after the ring and freed once read. From then on producers
 * spill until the consumers have read everything spilled, so one producer's values stay in order. So a put on
 * an unbounded queue never waits for a consumer, as Python's, and the queue holds as much as memory does. (A put
 * that finds the ring full while a consumer is taking values waits a moment for the room it frees, at most a
 * millisecond: a stream faster than its consumer then keeps to the ring, at the consumer's pace, as before;
 * {@link MessageRing#writeWhileReaderDrains}; and a put that finds values spilled while a consumer is taking them
 * waits as long for it to take them all, so a stream that spilled because its consumer paused goes back to the
 * ring: {@link Spill#awaitDrained}.)
 * <p>
 * A producer killed between claiming ring space and committing it leaves a record that blocks consumers; so does
 * a consumer killed inside Agrona's read, after it zeroed the bytes read and before it moved the head past them.
 * The consumer holding the turn mends the ring with Agrona's {@code unblock()} once the head has not moved for
 * {@link #UNBLOCK_AFTER_NS} and no live process is inside a ring write ({@link QueueLayout}'s writes in flight,
 * checked while its unblocker word keeps new writes out): a record can then only be a dead process's. A live
 * producer that is slow or stopped is waited for, however long, as in Python; its record is never discarded. What a
 * producer or consumer killed inside the spill leaves is mended as {@link SpillLayout} says.
 */
final class QueueCore
{
    static final long UNBLOCK_AFTER_NS = 100_000_000L;
    /** How long a mending consumer waits for the writes in flight to end before it tries again later. */
    private static final long WRITES_DRAIN_NS = 2_000_000L;

    /** What one producing thread needs: its own encoder, scratch and waiting state. */
    private static final class Producer
    {
        final ValueCodec codec = new ValueCodec();
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
        final Waiting wait = new Waiting(() -> false);
        final Spill.ReaderWatch reader = new Spill.ReaderWatch();
    }

    private final Session session;
    private final DirectoryEntry entry;
    private final AtomicBuffer header;
    private final int maxsize;
    private final MessageRing main;
    private final Spill spill;
    private final LockWord consumerLock;
    private final ProcessTable table;
    private final ThreadLocal<Producer> producers = ThreadLocal.withInitial(Producer::new);
    /** Used under the consumer lock only. */
    private final ValueCodec consumerCodec = new ValueCodec();
    /** Checks for a ring blocked by a dead process at the liveness-check pace, not on every spin. */
    private final Waiting consumerWait = new Waiting(this::unblockIfStuck);
    private long stuckSince;
    private long stuckAt;
    private boolean unblocked;
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
        if (capacity < QueueLayout.MIN_CAPACITY || capacity > QueueLayout.MAX_CAPACITY)
        {
            throw new IllegalArgumentException("queue capacity must be between 4 KiB and 1 GiB, got " + capacity);
        }
        final int ringCapacity = BitUtil.findNextPositivePowerOfTwo(capacity);
        final long length = QueueLayout.length(ringCapacity);
        final long offset = session.allocate(length, "a queue's buffer (" + length + " bytes)");
        final AtomicBuffer buffer = session.buffer();
        buffer.putInt((int)offset + QueueLayout.CAPACITY_OFFSET, ringCapacity);
        buffer.putIntOrdered((int)offset + QueueLayout.MAXSIZE_OFFSET, maxsize);
        return session.directory().add(kind, name, 0, offset, length, offset + QueueLayout.CONSUMER_LOCK_OFFSET,
            maxsize, 0);
    }

    QueueCore(final Session session, final DirectoryEntry entry)
    {
        this.session = session;
        this.entry = entry;
        final int base = Math.toIntExact(entry.offset());
        this.header = new UnsafeBuffer(session.buffer(), base, QueueLayout.HEADER_LENGTH);
        final int capacity = header.getIntVolatile(QueueLayout.CAPACITY_OFFSET);
        if (Integer.bitCount(capacity) != 1 || QueueLayout.length(capacity) != entry.length())
        {
            throw new IllegalStateException("queue '" + entry.name() + "' has a damaged header (ring capacity " +
                capacity + " for " + entry.length() + " bytes)");
        }
        this.maxsize = header.getInt(QueueLayout.MAXSIZE_OFFSET);
        this.main = new MessageRing(new ManyToOneRingBuffer(new UnsafeBuffer(session.buffer(),
            base + QueueLayout.ringOffset(), capacity + RingBufferDescriptor.TRAILER_LENGTH)), header,
            QueueLayout.SENT_OFFSET, QueueLayout.RECEIVED_OFFSET, true);
        this.spill = new Spill(session, base + QueueLayout.SPILL_OFFSET, "queue '" + entry.name() + "'");
        this.consumerLock = new LockWord(session, base + QueueLayout.CONSUMER_LOCK_OFFSET);
        this.table = session.processTable();
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

    Spill spill()
    {
        return spill;
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
     * Puts {@code value}: into the ring when it has room and nothing is spilled, else into the spill. Waits only
     * for a place in a bounded queue.
     *
     * @param timeoutNanos -1 waits as long as it takes (when {@code block}).
     * @param joinable     counts an unfinished task.
     * @throws Full when a bounded queue has no place and {@code block} is false, or none came within the timeout.
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
            if (Holders.open(session.name(), header, QueueLayout.PRODUCERS_OFFSET, table))
            {
                // what a dead process with this slot left in flight is not this process's
                header.putLongVolatile(QueueLayout.writesInFlightOffset(CurrentSlot.get()), 0);
            }
        }
        if (maxsize > 0 && !takePlace())
        {
            if (!block)
            {
                throw fullError();
            }
            final Waiting wait = producer.wait.start(timeoutNanos);
            while (!takePlace())
            {
                if (!wait.await(false))
                {
                    throw fullError();
                }
            }
        }
        if (joinable)
        {
            header.getAndAddLong(QueueLayout.UNFINISHED_OFFSET, 1);
        }
        boolean written = false;
        try
        {
            if ((!spill.isActive() || spill.awaitDrained(producer.reader, main)) && writeToRing(producer, length))
            {
                written = true;
                return;
            }
            spill.append(producer.scratch, 0, length);
            written = true;
        }
        finally
        {
            if (!written)
            {
                if (maxsize > 0)
                {
                    header.getAndAddInt(QueueLayout.TAKEN_OFFSET, -1);
                }
                if (joinable)
                {
                    header.getAndAddLong(QueueLayout.UNFINISHED_OFFSET, -1);
                }
            }
        }
    }

    /** Writes into the ring now or while its reader drains it, counted as a write in flight throughout. */
    private boolean writeToRing(final Producer producer, final int length)
    {
        final int inFlight = QueueLayout.writesInFlightOffset(CurrentSlot.get());
        enterRingWrite(inFlight);
        try
        {
            return main.tryWrite(producer.scratch, 0, length) ||
                main.writeWhileReaderDrains(producer.scratch, 0, length, spill::isActive);
        }
        finally
        {
            header.getAndAddLong(inFlight, -1);
        }
    }

    /**
     * Counts this thread in; while a consumer mends the ring (its unblocker word set, its process alive) steps back
     * out and waits, so that the consumer's "no write in flight" stays true until it has mended. Both sides write
     * their word with a full fence before reading the other's, so one of them always sees the other.
     */
    private void enterRingWrite(final int inFlight)
    {
        while (true)
        {
            header.getAndAddLong(inFlight, 1);
            final long unblocker = header.getLongVolatile(QueueLayout.UNBLOCKER_OFFSET);
            if (unblocker == 0)
            {
                return;
            }
            header.getAndAddLong(inFlight, -1);
            for (int spins = 0; header.getLongVolatile(QueueLayout.UNBLOCKER_OFFSET) == unblocker; spins++)
            {
                if (!isLive(unblocker))
                {
                    header.compareAndSetLong(QueueLayout.UNBLOCKER_OFFSET, unblocker, 0);
                }
                else if (spins < 100)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    Thread.yield();
                }
            }
        }
    }

    /** An unblocker word's process: alive, and still the one that set it. */
    private boolean isLive(final long unblocker)
    {
        final int slot = (int)(unblocker >>> 32) - 1;
        return slot == CurrentSlot.get() || table.isSlot(slot) &&
            (table.generation(slot) & 0xFFFFFFFFL) == (unblocker & 0xFFFFFFFFL) && table.isAlive(slot);
    }

    private boolean takePlace()
    {
        while (true)
        {
            final int taken = header.getIntVolatile(QueueLayout.TAKEN_OFFSET);
            if (taken >= maxsize)
            {
                return false;
            }
            if (header.compareAndSetInt(QueueLayout.TAKEN_OFFSET, taken, taken + 1))
            {
                return true;
            }
        }
    }

    /**
     * Gets the next value: the ring's first, then the spill's.
     *
     * @param timeoutNanos -1 waits as long as it takes (when {@code block}).
     * @throws Empty when nothing came (or the consumers' turn did not) in time, or at once when not blocking.
     * @throws mp4j.codec.CodecException when the value does not decode (its class refused, say): it is taken off
     *         the queue and kept in the exception.
     */
    Object get(final boolean block, final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        if (!consumerMarked)
        {
            consumerMarked = true;
            Holders.open(session.name(), header, QueueLayout.CONSUMERS_OFFSET, table);
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
            // it may have died inside a read, leaving zeroed bytes the head has not passed: unblockIfStuck mends
            spill.readerRecovered();
        }
        try
        {
            Waiting wait = null;
            while (true)
            {
                Object value;
                try
                {
                    value = readRing(wait == null ? consumerWait.lazy(-1) : wait);
                    if (value == MessageRing.NOTHING)
                    {
                        value = readSpill();
                    }
                }
                catch (final CodecException refused)
                {
                    if (maxsize > 0)
                    {
                        header.getAndAddInt(QueueLayout.TAKEN_OFFSET, -1); // taken off, handed over in the error
                    }
                    throw refused;
                }
                if (value != MessageRing.NOTHING)
                {
                    if (maxsize > 0)
                    {
                        header.getAndAddInt(QueueLayout.TAKEN_OFFSET, -1);
                    }
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

    /** The ring's next value; one that does not decode is taken off, and handed over in the exception. */
    private Object readRing(final Waiting wait) throws InterruptedException
    {
        try
        {
            return main.read(consumerCodec, wait);
        }
        catch (final CodecException ex)
        {
            throw ex.takenFrom("queue '" + name() + "'", ex.encoded());
        }
    }

    /**
     * The spill's next value once the ring holds nothing claimed before it. A value spilled by a producer comes
     * after every value it put in the ring; those may still be there behind a record being written (or left by a
     * dead producer, until it is mended), and are read first. The spill is looked at first, then the ring: a
     * producer's ring records are claimed before its spilled value is published, so they are seen.
     */
    private Object readSpill()
    {
        final Object value = spill.hasValue() && main.isDrained() ? spill.read(consumerCodec) : MessageRing.NOTHING;
        spill.retireIfDrained(); // the last value read, or none: its memory goes back now
        return value;
    }

    /**
     * Called now and then while a consumer waits: when ring space is claimed and the head has not moved since the
     * last calls for {@link #UNBLOCK_AFTER_NS}, a writer is at work or died at it (or a consumer died inside a
     * read); mends the ring when no live process has a ring write in flight.
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
        if (now - stuckSince > UNBLOCK_AFTER_NS && mendIfNoLiveWriter(ring))
        {
            stuckSince = 0;
        }
        return false;
    }

    /**
     * Keeps new ring writes out (the unblocker word), waits a moment for those in flight to end, and unblocks the
     * ring when no live process is left inside a write: what blocks the head is then a dead process's.
     *
     * @return false when a live writer is still inside its write (try again later).
     */
    private boolean mendIfNoLiveWriter(final RingBuffer ring)
    {
        final int slot = CurrentSlot.get();
        final long me = (long)(slot + 1) << 32 | (table.isSlot(slot) ? table.generation(slot) & 0xFFFFFFFFL : 0);
        if (!header.compareAndSetLong(QueueLayout.UNBLOCKER_OFFSET, 0, me))
        {
            return false;
        }
        try
        {
            final long giveUpAt = System.nanoTime() + WRITES_DRAIN_NS;
            while (liveWriterInFlight())
            {
                if (System.nanoTime() - giveUpAt >= 0)
                {
                    return false;
                }
                Thread.onSpinWait();
            }
            unblocked = ring.unblock();
            return true;
        }
        finally
        {
            header.putLongVolatile(QueueLayout.UNBLOCKER_OFFSET, 0);
        }
    }

    private boolean liveWriterInFlight()
    {
        for (int line = 0; line < QueueLayout.WRITES_IN_FLIGHT_LINES; line++)
        {
            if (header.getLongVolatile(QueueLayout.writesInFlightOffset(line)) > 0 &&
                Holders.isAlive(header, QueueLayout.PRODUCERS_OFFSET, table, line))
            {
                return true;
            }
        }
        return false;
    }

    long qsize()
    {
        return main.depth() + spill.depth();
    }

    /** True when nothing is in the ring or the spill (exact when no put or get is half done). */
    boolean empty()
    {
        return main.depth() == 0 && spill.depth() == 0;
    }

    /** True when a get could take a value now (or is about to find one that does not decode). */
    boolean hasValue()
    {
        return main.hasMessage() || spill.hasValue() && main.isDrained();
    }

    /** The truth for a bounded queue: maxsize places taken, so a non-blocking put would raise Full. */
    boolean full()
    {
        return maxsize > 0 && header.getIntVolatile(QueueLayout.TAKEN_OFFSET) >= maxsize;
    }

    void taskDone()
    {
        while (true)
        {
            final long unfinished = header.getLongVolatile(QueueLayout.UNFINISHED_OFFSET);
            if (unfinished <= 0)
            {
                throw new IllegalStateException("taskDone() called more times than there were items put on '" +
                    name() + "' (Python's ValueError)");
            }
            if (header.compareAndSetLong(QueueLayout.UNFINISHED_OFFSET, unfinished, unfinished - 1))
            {
                return;
            }
        }
    }

    /** Waits until every item put has had its taskDone; false when the timeout passed first. */
    boolean join(final long timeoutNanos) throws InterruptedException
    {
        final WaitLoop wait = new WaitLoop(WaitLoop.Pace.MESSAGE).begin(timeoutNanos < 0 ? WaitLoop.FOREVER :
            timeoutNanos, 0);
        while (header.getLongVolatile(QueueLayout.UNFINISHED_OFFSET) > 0)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException();
            }
            if (wait.timedOut())
            {
                return false;
            }
            wait.idle();
        }
        return true;
    }

    long unfinished()
    {
        return header.getLongVolatile(QueueLayout.UNFINISHED_OFFSET);
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
        return new Full("queue '" + name() + "' is full (maxsize " + maxsize + ")");
    }

    private Empty emptyError()
    {
        return new Empty("queue '" + name() + "' is empty");
    }
}
