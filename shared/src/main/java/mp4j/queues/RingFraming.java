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
    /** Record type id of a message that fits in one record: the body is the whole message. */
    public static final int WHOLE = 1;
    /** Record type id of a longer message's first record: its total length, then its first bytes. */
    public static final int FIRST = 2;
    /** Record type id of a record of a longer message's bytes that neither starts nor ends it. */
    public static final int MIDDLE = 3;
    /** Record type id of a longer message's final record: once it is read, the message is complete. */
    public static final int LAST = 4;
    /** Offset of the message's total length in a FIRST record's body. */
    public static final int FIRST_TOTAL_OFFSET = 0;
    /** Offset of the message's first bytes in a FIRST record's body. */
    public static final int FIRST_BYTES_OFFSET = Integer.BYTES;

    private RingFraming()
    {
    }

    /**
     * How many records a message takes.
     *
     * @param length    bytes of the message; not negative.
     * @param maxRecord the most bytes one record of the ring holds ({@link RingBuffer#maxMsgLength()}); positive.
     * @return 1 when the message fits in a record, else its FIRST, MIDDLE and LAST records together.
     */
    public static long records(final int length, final int maxRecord)
    {
        if (length <= maxRecord)
        {
            return 1;
        }
        return ((long)length + FIRST_BYTES_OFFSET + maxRecord - 1) / maxRecord;
    }

    /**
     * Bytes of ring a message needs at most: its records at full size with their headers, and one padding record
     * where the ring wraps. A writer that wants a message to go in whole can wait for this much free room.
     *
     * @param length    bytes of the message; not negative.
     * @param maxRecord the most bytes one record of the ring holds ({@link RingBuffer#maxMsgLength()}); positive.
     * @return an upper bound in bytes, record headers and alignment included.
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

        /**
         * A writer for one ring, which cuts messages by that ring's {@link RingBuffer#maxMsgLength()}.
         *
         * @param ring the ring written to; this writer must be the only one writing messages longer than a record
         *             to it, or their records interleave.
         */
        public Writer(final RingBuffer ring)
        {
            this.ring = ring;
            this.maxRecord = ring.maxMsgLength();
        }

        /**
         * Writes the message, or the rest of it when an earlier call wrote part of it.
         *
         * @param src    the buffer that holds the message.
         * @param offset where the message starts in {@code src}.
         * @param length bytes of the message; 0 writes an empty WHOLE record.
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

        /**
         * How far the message being written has gone.
         *
         * @return bytes of it that are in the ring so far; 0 when none is part-written.
         */
        public int written()
        {
            return written;
        }

        /**
         * Whether a message is part-written.
         *
         * @return true when part of a message is in the ring and the rest is not.
         */
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
        /**
         * {@link #onRecord}: a record that belongs to no message: the rest of one whose start was dropped, or a type
         * unknown here.
         */
        public static final int STRAY = 2;

        private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(1024);
        private int expected = -1;
        private int assembled;
        private DirectBuffer message;
        private int messageOffset;
        private int messageLength;

        /** An assembler with no message under way; its assembly buffer grows to the longest message it meets. */
        public Assembler()
        {
        }

        /**
         * Takes one record.
         *
         * @param type   the record's type id: {@link #WHOLE}, {@link #FIRST}, {@link #MIDDLE} or {@link #LAST}; any
         *               other is a {@link #STRAY}.
         * @param buffer the buffer the record's body is in (the ring's, as a ring's message handler is given it).
         * @param index  where the body starts in {@code buffer}.
         * @param length bytes of the body.
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

        /**
         * The bytes of the message just completed.
         *
         * @return the ring's buffer (a WHOLE record, not copied) or this assembler's own; valid only until the next
         *         record is taken, or, for the ring's, until the read of this record ends.
         */
        public DirectBuffer buffer()
        {
            return message;
        }

        /**
         * Where the message just completed starts.
         *
         * @return its offset in {@link #buffer()}.
         */
        public int offset()
        {
            return messageOffset;
        }

        /**
         * How long the message just completed is.
         *
         * @return its bytes in {@link #buffer()}, from {@link #offset()}.
         */
        public int length()
        {
            return messageLength;
        }

        /**
         * Whether a message is half assembled.
         *
         * @return true between a message's FIRST record and its LAST.
         */
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
