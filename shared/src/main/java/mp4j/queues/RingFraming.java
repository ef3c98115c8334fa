package mp4j.queues;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.ByteOrder;

/**
 * How a message goes over one Agrona ring, whatever it carries (a queue's or a pipe's values, a pool's tasks and
 * results): in one record when it fits in the ring's {@link RingBuffer#maxMsgLength()}, else cut into records that
 * follow each other. The record's type id says which part of a message it holds:
 * <pre>
 *   type id   record body (little-endian)
 *   --------- -----------------------------------------------------------------------------------------
 *   1 WHOLE   the message
 *   2 FIRST   +0 int total length of the message, +4 its first maxMsgLength - 4 bytes
 *   3 MIDDLE  the next maxMsgLength bytes
 *   4 LAST    the final bytes (1 .. maxMsgLength); the message is complete
 *
 *   a message of 20,000 bytes on a ring of 8 KiB records:
 *   +-------------+-------------------+   +-------------------+   +-------------------+
 *   | FIRST 20000 | bytes 0..8187     |   | MIDDLE 8188..16379|   | LAST 16380..19999 |
 *   +-------------+-------------------+   +-------------------+   +-------------------+
 * </pre>
 * The records of one message are consecutive in the ring, so only a ring with one writer at a time may carry
 * messages longer than a record (a pipe end, a pool's ring); rings with many writers ({@link Queue}) write whole
 * records only. What a message means is its reader's business: a queue's record body is an encoded value, a
 * pool's starts with the kind of message ({@code mp4j.pool.PoolMessages}).
 * <p>
 * A FIRST always starts a new message (what was half assembled is dropped: its writer died or gave up); a MIDDLE
 * or LAST with no FIRST before it is a {@linkplain Assembler#STRAY stray}, as is a record of an unknown type.
 */
public final class RingFraming
{
    public static final int WHOLE = 1;
    public static final int FIRST = 2;
    public static final int MIDDLE = 3;
    public static final int LAST = 4;
    /** Offset of the message's total length in a FIRST record's body. */
    public static final int FIRST_TOTAL_OFFSET = 0;
    /** Offset of the message's first bytes in a FIRST record's body. */
    public static final int FIRST_BYTES_OFFSET = Integer.BYTES;

    private RingFraming()
    {
    }

    /** How many records a message of {@code length} bytes takes on a ring whose records hold {@code maxRecord}. */
    public static long records(final int length, final int maxRecord)
    {
        if (length <= maxRecord)
        {
            return 1;
        }
        return ((long)length + FIRST_BYTES_OFFSET + maxRecord - 1) / maxRecord;
    }

    /**
     * Bytes of ring a message of {@code length} needs at most: its records at full size, and one padding record
     * where the ring wraps.
     */
    public static long bytesNeeded(final int length, final int maxRecord)
    {
        return (records(length, maxRecord) + 1) * align(maxRecord + RecordDescriptor.HEADER_LENGTH);
    }

    private static int align(final int length)
    {
        return (length + RecordDescriptor.ALIGNMENT - 1) & ~(RecordDescriptor.ALIGNMENT - 1);
    }

    /**
     * Writes messages into one ring, a record at a time as room comes: {@link #write} never waits, and a message
     * the ring could not take whole is taken up again where it stopped by the next call with the same message.
     * One per writing side; not thread-safe.
     */
    public static final class Writer
    {
        private final RingBuffer ring;
        private final int maxRecord;
        /** Bytes of the message being written that are in the ring; 0 when no message is part-written. */
        private int written;

        public Writer(final RingBuffer ring)
        {
            this.ring = ring;
            this.maxRecord = ring.maxMsgLength();
        }

        /**
         * Writes the message, or the rest of it when an earlier call wrote part of it.
         *
         * @return true once all of it is in the ring; false when the ring is full: call again with the same
         *         message (and nothing else) to go on, or {@link #abandon()} it.
         */
        public boolean write(final DirectBuffer src, final int offset, final int length)
        {
            if (written == 0)
            {
                if (length <= maxRecord)
                {
                    return ring.write(WHOLE, src, offset, length);
                }
                final int index = ring.tryClaim(FIRST, maxRecord);
                if (index < 0)
                {
                    return false;
                }
                final AtomicBuffer buffer = ring.buffer();
                final int first = maxRecord - FIRST_BYTES_OFFSET;
                buffer.putInt(index + FIRST_TOTAL_OFFSET, length, ByteOrder.LITTLE_ENDIAN);
                buffer.putBytes(index + FIRST_BYTES_OFFSET, src, offset, first);
                ring.commit(index);
                written = first;
            }
            while (written < length)
            {
                final int piece = Math.min(maxRecord, length - written);
                final int type = written + piece == length ? LAST : MIDDLE;
                if (!ring.write(type, src, offset + written, piece))
                {
                    return false;
                }
                written += piece;
            }
            written = 0;
            return true;
        }

        /** Bytes of the message being written that are in the ring so far (0 when none is part-written). */
        public int written()
        {
            return written;
        }

        /** True when part of a message is in the ring and the rest is not. */
        public boolean isMidMessage()
        {
            return written > 0;
        }

        /** Gives up the message part-written: its reader drops what it has of it when the next message starts. */
        public void abandon()
        {
            written = 0;
        }
    }

    /**
     * Puts messages back together from the records of one ring, handed to {@link #onRecord} in ring order. A whole
     * record is not copied; the pieces of a longer message are, into a buffer of its own. One per reading side;
     * not thread-safe.
     */
    public static final class Assembler
    {
        /** {@link #onRecord}: a piece of a message was taken; the message is not complete yet. */
        public static final int PART = 0;
        /** {@link #onRecord}: a message is complete: {@link #buffer()}, {@link #offset()}, {@link #length()}. */
        public static final int MESSAGE = 1;
        /** {@link #onRecord}: a record that belongs to no message: the rest of one whose start was dropped, or a type unknown here. */
        public static final int STRAY = 2;

        private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(1024);
        private int expected = -1;
        private int assembled;
        private DirectBuffer message;
        private int messageOffset;
        private int messageLength;

        /**
         * Takes one record.
         *
         * @return {@link #PART}, {@link #MESSAGE} or {@link #STRAY}.
         * @throws IllegalStateException when the pieces of a message disagree with the length its FIRST gave (a
         *         record lost or overwritten): the message is dropped.
         */
        public int onRecord(final int type, final DirectBuffer buffer, final int index, final int length)
        {
            switch (type)
            {
                case WHOLE ->
                {
                    expected = -1;
                    return complete(buffer, index, length);
                }
                case FIRST ->
                {
                    final int total = buffer.getInt(index + FIRST_TOTAL_OFFSET, ByteOrder.LITTLE_ENDIAN);
                    final int piece = length - FIRST_BYTES_OFFSET;
                    if (piece < 0 || total <= piece)
                    {
                        expected = -1;
                        throw new IllegalStateException("ring out of step: a message's first record of " + length +
                            " bytes says the message has " + total);
                    }
                    expected = total;
                    assembly.putBytes(0, buffer, index + FIRST_BYTES_OFFSET, piece);
                    assembled = piece;
                    return PART;
                }
                case MIDDLE, LAST ->
                {
                    if (expected < 0)
                    {
                        return STRAY;
                    }
                    final int total = expected;
                    if (assembled + length > total || (type == LAST) != (assembled + length == total))
                    {
                        expected = -1;
                        throw new IllegalStateException("ring out of step: a message of " + total + " bytes has " +
                            (assembled + length) + " with this " + (type == LAST ? "last" : "middle") + " record");
                    }
                    assembly.putBytes(assembled, buffer, index, length);
                    assembled += length;
                    if (type == MIDDLE)
                    {
                        return PART;
                    }
                    expected = -1;
                    return complete(assembly, 0, total);
                }
                default ->
                {
                    return STRAY;
                }
            }
        }

        private int complete(final DirectBuffer buffer, final int offset, final int length)
        {
            message = buffer;
            messageOffset = offset;
            messageLength = length;
            return MESSAGE;
        }

        /** The buffer of the message just completed: the ring itself, or the assembly; valid until the next record. */
        public DirectBuffer buffer()
        {
            return message;
        }

        public int offset()
        {
            return messageOffset;
        }

        public int length()
        {
            return messageLength;
        }

        /** True between a message's first record and its last. */
        public boolean isMidMessage()
        {
            return expected >= 0;
        }

        /** Drops a half-assembled message (its writer died, or its ring is being reset). */
        public void clear()
        {
            expected = -1;
            assembled = 0;
        }
    }
}
