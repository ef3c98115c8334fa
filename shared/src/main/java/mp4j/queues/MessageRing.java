package mp4j.queues;

import mp4j.codec.CodecException;
import mp4j.codec.ValueCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ControlledMessageHandler.Action;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.function.BooleanSupplier;

import static org.agrona.concurrent.ringbuffer.RecordDescriptor.lengthOffset;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.typeOffset;

/**
 * Values over one Agrona ring: each encoded with {@link ValueCodec} and framed by {@link RingFraming}: one
 * {@link RingFraming#WHOLE} record each, or, on a ring with one writer (a {@link Pipe}), several when the encoding
 * is longer than the ring's {@link RingBuffer#maxMsgLength()}. One reader at a time reads. Not thread-safe: callers
 * serialize each side (writers of a queue's ring, which write whole records only, may write at the same time).
 */
final class MessageRing
{
    static final int WHOLE = RingFraming.WHOLE;

    /**
     * A full ring whose reader has not moved for this long has no reader at work: its writer spills. Longer than a
     * reader's pause at work: one that found nothing parks, and a park ends 50-100 us late (Linux's timer slack),
     * more on a busy machine; at 50 us, writers took such pauses for a reader gone and streamed through the spill.
     */
    static final long READER_STALLED_NS = 500_000;
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
    private final RingFraming.Writer writer;
    private final RingFraming.Assembler assembler = new RingFraming.Assembler();
    private final ControlledMessageHandler handler = this::onMessage;
    private ValueCodec codec;
    private Object value = NOTHING;
    private RuntimeException failure;

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
        this.writer = new RingFraming.Writer(ring);
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
        int written = 0;
        while (!writer.write(src, offset, length))
        {
            if (writer.written() != written)
            {
                written = writer.written();
                waiter.progressed();
            }
            if (!waiter.await(writer.isMidMessage()))
            {
                writer.abandon();
                return false;
            }
        }
        waiter.progressed();
        countSent();
        return true;
    }

    /**
     * True when the ring has room now for a value of {@code length} encoded bytes, in fragments if need be (and a
     * padding record where the ring wraps). For a ring with one writer, whose room can only grow until it writes.
     */
    boolean hasRoomFor(final int length)
    {
        return ring.capacity() - ring.size() >= RingFraming.bytesNeeded(length, maxMessage);
    }

    /**
     * True when the reader has passed every record claimed so far: none is waiting to be read or still being
     * written. Called after seeing a spilled value, this tells whether the spill's turn has come: a writer claims
     * its ring records before it appends to the spill, so a record claimed earlier is seen here.
     */
    boolean isDrained()
    {
        return ring.producerPosition() == ring.consumerPosition();
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
                assembler.clear();
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
            if (!assembler.isMidMessage())
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
        assembler.clear();
    }

    boolean isMidValue()
    {
        return assembler.isMidMessage();
    }

    private Action onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        try
        {
            // a stray record (the rest of a value whose start was dropped, or a type from a newer writer) is skipped
            if (assembler.onRecord(type, buffer, index, length) == RingFraming.Assembler.MESSAGE)
            {
                value = decode(assembler.buffer(), assembler.offset(), assembler.length());
            }
        }
        catch (final IllegalStateException ex)
        {
            failure = new CodecException("a fragmented value cannot be put back together: " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
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
