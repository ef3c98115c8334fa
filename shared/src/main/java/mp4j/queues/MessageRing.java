package mp4j.queues;

import mp4j.codec.CodecException;
import mp4j.codec.ValueCodec;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ControlledMessageHandler.Action;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import org.agrona.concurrent.ringbuffer.RecordDescriptor;

import java.util.function.BooleanSupplier;

import static org.agrona.concurrent.ringbuffer.RecordDescriptor.lengthOffset;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.typeOffset;

/**
 * Values over one Agrona ring: encoded with {@link ValueCodec}, one ring record each, or, on a ring with one writer
 * (a {@link Pipe}), several when the encoding is longer than the ring's {@link RingBuffer#maxMsgLength()}. Records
 * are typed by their message type id:
 * <pre>
 *   type id  record body (little-endian)
 *   1 WHOLE  the encoded value
 *   2 FIRST  int total length, then the first bytes of the encoding
 *   3 MIDDLE the next bytes
 *   4 LAST   the final bytes; the value is complete
 * </pre>
 * The fragments of one value are consecutive in the ring: only a ring with one writer (a Pipe end) writes them,
 * and one reader at a time reads. Not thread-safe: callers serialize each side.
 */
final class MessageRing
{
    static final int WHOLE = 1;
    static final int FIRST = 2;
    static final int MIDDLE = 3;
    static final int LAST = 4;
    static final int FIRST_HEADER = Integer.BYTES;

    /** A full ring whose reader has not moved for this long has no reader at work: its writer spills. */
    static final long READER_STALLED_NS = 50_000;
    /** The longest a writer waits for a full ring whose reader is at work before it spills. */
    static final long MAX_DRAIN_WAIT_NS = 1_000_000;

    /** What {@link #read} returns when no value is ready (null is a value). */
    static final Object NOTHING = sentinel("NOTHING");

    private static Object sentinel(final String name)
    {
        return new Object()
        {
            @Override
            public String toString()
            {
                return name;
            }
        };
    }

    /** How a side waits for room or data, and what makes it give up. */
    interface Waiter
    {
        /**
         * Called after a failed attempt: idles and returns true, or returns false to give up.
         *
         * @param midMessage true once part of a value is written or read: a timeout or an interrupt must not stop
         *                   it then, only the other side being gone.
         */
        boolean await(boolean midMessage) throws InterruptedException;

        /** Called after progress, so that the next wait starts short again. */
        void progressed();
    }

    private final RingBuffer ring;
    private final AtomicBuffer counters;
    private final int sentOffset;
    private final int receivedOffset;
    private final int maxMessage;
    private final boolean manyWriters;
    private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(256);
    private final ControlledMessageHandler handler = this::onMessage;
    private ValueCodec codec;
    private Object value = NOTHING;
    private RuntimeException failure;
    private int expected = -1;
    private int assembled;

    /**
     * @param counters       where the counts of values sent and received are kept (each side writes its own).
     * @param sentOffset     offset of the long count of values written, in {@code counters}.
     * @param receivedOffset offset of the long count of values read.
     * @param manyWriters    true when writers write at the same time (a queue's producers): the count of values
     *                       written is then an atomic add, else a plain ordered store, as the count read is.
     */
    MessageRing(
        final RingBuffer ring, final AtomicBuffer counters, final int sentOffset, final int receivedOffset,
        final boolean manyWriters)
    {
        this.manyWriters = manyWriters;
        this.ring = ring;
        this.counters = counters;
        this.sentOffset = sentOffset;
        this.receivedOffset = receivedOffset;
        this.maxMessage = ring.maxMsgLength();
    }

    RingBuffer ring()
    {
        return ring;
    }

    /** Values written and not yet read; exact when no side is mid-way. */
    long depth()
    {
        return Math.max(0, counters.getLongVolatile(sentOffset) - counters.getLongVolatile(receivedOffset));
    }

    long sent()
    {
        return counters.getLongVolatile(sentOffset);
    }

    long received()
    {
        return counters.getLongVolatile(receivedOffset);
    }

    private void countSent()
    {
        if (manyWriters)
        {
            counters.getAndAddLong(sentOffset, 1);
        }
        else
        {
            counters.putLongOrdered(sentOffset, counters.getLong(sentOffset) + 1);
        }
    }

    /** Readers take turns (a Pipe end's receive lock, a queue's consumer lock): a store is enough. */
    private void countReceived()
    {
        counters.putLongOrdered(receivedOffset, counters.getLong(receivedOffset) + 1);
    }

    /** Writes one encoded value, now if it fits as one record, or returns false without writing anything. */
    boolean tryWrite(final DirectBuffer src, final int offset, final int length)
    {
        if (length <= maxMessage && ring.write(WHOLE, src, offset, length))
        {
            countSent();
            return true;
        }
        return false;
    }

    /**
     * Writes one encoded value as one record when room comes soon: the ring is full, but its reader is taking
     * values (its position moved within the last {@link #READER_STALLED_NS}), so room is a moment away. Waits at
     * most {@link #MAX_DRAIN_WAIT_NS}, and not at all once {@code spilling} says the owner spills (order).
     * A writer that streams faster than its reader keeps to the ring this way, at the reader's pace, as it would
     * on a bounded ring; with no reader at work it gives up within microseconds and the caller spills.
     *
     * @return false when the caller should spill the value instead.
     */
    boolean writeWhileReaderDrains(final DirectBuffer src, final int offset, final int length,
        final BooleanSupplier spilling)
    {
        if (length > maxMessage)
        {
            return false;
        }
        final long began = System.nanoTime();
        long seen = ring.consumerPosition();
        long movedAt = began;
        for (int spins = 0; ; spins++)
        {
            if (spins < 64)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
            if (tryWrite(src, offset, length))
            {
                return true;
            }
            if (spilling.getAsBoolean())
            {
                return false;
            }
            final long now = System.nanoTime();
            final long position = ring.consumerPosition();
            if (position != seen)
            {
                seen = position;
                movedAt = now;
            }
            else if (now - movedAt > READER_STALLED_NS)
            {
                return false;
            }
            if (now - began > MAX_DRAIN_WAIT_NS)
            {
                return false;
            }
        }
    }

    /**
     * Writes one encoded value, in fragments when it is longer than a record may be, waiting for room.
     *
     * @return false when the waiter gave up; mid-value that leaves a partial value the reader drops.
     */
    boolean write(final DirectBuffer src, final int offset, final int length, final Waiter waiter)
        throws InterruptedException
    {
        if (length <= maxMessage)
        {
            while (!ring.write(WHOLE, src, offset, length))
            {
                if (!waiter.await(false))
                {
                    return false;
                }
            }
            waiter.progressed();
            countSent();
            return true;
        }
        // FIRST carries the total so that the reader sizes its buffer once
        final int firstChunk = maxMessage - FIRST_HEADER;
        int index;
        while ((index = ring.tryClaim(FIRST, maxMessage)) < 0)
        {
            if (!waiter.await(false))
            {
                return false;
            }
        }
        final AtomicBuffer buffer = ring.buffer();
        buffer.putInt(index, length);
        buffer.putBytes(index + FIRST_HEADER, src, offset, firstChunk);
        ring.commit(index);
        waiter.progressed();
        int done = firstChunk;
        while (done < length)
        {
            final int chunk = Math.min(maxMessage, length - done);
            final int type = done + chunk == length ? LAST : MIDDLE;
            while (!ring.write(type, src, offset + done, chunk))
            {
                if (!waiter.await(true))
                {
                    return false;
                }
            }
            waiter.progressed();
            done += chunk;
        }
        countSent();
        return true;
    }

    /**
     * True when the ring has room now for a value of {@code length} encoded bytes, in fragments if need be (and a
     * padding record where the ring wraps). For a ring with one writer, whose room can only grow until it writes.
     */
    boolean hasRoomFor(final int length)
    {
        final long fragments = ((long)length + FIRST_HEADER + maxMessage - 1) / maxMessage;
        final long needed = (fragments + 1) * align(maxMessage + RecordDescriptor.HEADER_LENGTH);
        return ring.capacity() - ring.size() >= needed;
    }

    /** True when a value, or the start of one, can be read now. */
    boolean hasMessage()
    {
        final AtomicBuffer buffer = ring.buffer();
        final int capacity = ring.capacity();
        long position = ring.consumerPosition();
        for (int i = 0; i < 2; i++) // at most one padding record before the next message
        {
            final int index = (int)position & (capacity - 1);
            final int recordLength = buffer.getIntVolatile(lengthOffset(index));
            if (recordLength <= 0)
            {
                return false;
            }
            if (buffer.getInt(typeOffset(index)) != RingBuffer.PADDING_MSG_TYPE_ID)
            {
                return true;
            }
            position += align(recordLength);
        }
        return false;
    }

    private static int align(final int length)
    {
        return (length + 7) & ~7;
    }

    /**
     * Reads one value: returns it, or {@link #NOTHING} when none is ready. When a value comes in fragments, waits
     * (through {@code waiter}) for all of them; if the waiter gives up, the partial value is dropped.
     *
     * @throws mp4j.codec.CodecException when the bytes do not decode: the value is taken off the ring, and its
     *         bytes are in the exception ({@link CodecException#encoded()}).
     */
    Object read(final ValueCodec codec, final Waiter waiter) throws InterruptedException
    {
        this.codec = codec;
        while (true)
        {
            final int read = ring.controlledRead(handler, 1);
            if (failure != null)
            {
                final RuntimeException ex = failure;
                failure = null;
                expected = -1;
                countReceived();
                throw ex;
            }
            if (value != NOTHING)
            {
                final Object result = value;
                value = NOTHING;
                countReceived();
                return result;
            }
            if (expected < 0)
            {
                if (read == 0 && !hasMessage()) // read 0 may have skipped padding before a message
                {
                    return NOTHING;
                }
                continue;
            }
            if (read == 0 && !hasMessage())
            {
                if (!waiter.await(true))
                {
                    abandonPartial();
                    return NOTHING;
                }
            }
            else
            {
                waiter.progressed();
            }
        }
    }

    /** Drops a half-assembled value, after its writer was found dead. */
    void abandonPartial()
    {
        expected = -1;
        assembled = 0;
    }

    boolean isMidValue()
    {
        return expected >= 0;
    }

    private Action onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        try
        {
            switch (type)
            {
                case WHOLE ->
                {
                    expected = -1;
                    value = decode(buffer, index, length);
                }
                case FIRST ->
                {
                    expected = buffer.getInt(index);
                    assembly.putBytes(0, buffer, index + FIRST_HEADER, length - FIRST_HEADER);
                    assembled = length - FIRST_HEADER;
                }
                case MIDDLE, LAST ->
                {
                    if (expected < 0)
                    {
                        return Action.COMMIT; // the rest of a value whose start was dropped: skip it
                    }
                    assembly.putBytes(assembled, buffer, index, length);
                    assembled += length;
                    if (type == LAST)
                    {
                        final int total = expected;
                        expected = -1;
                        if (assembled != total)
                        {
                            throw new CodecException("fragmented value of " + total + " bytes arrived with " +
                                assembled + " bytes");
                        }
                        value = decode(assembly, 0, assembled);
                    }
                }
                default ->
                {
                    // an unknown record type (a newer writer): skipped
                }
            }
        }
        catch (final RuntimeException ex)
        {
            expected = -1;
            failure = ex;
        }
        return Action.COMMIT;
    }

    /** Decodes; a value that does not decode keeps its bytes in the exception, as it is taken off the ring. */
    private Object decode(final DirectBuffer buffer, final int index, final int length)
    {
        try
        {
            return codec.decode(buffer, index, length);
        }
        catch (final CodecException ex)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(index, bytes);
            throw new CodecException(ex.getMessage(), ex.getCause(), bytes);
        }
    }
}
