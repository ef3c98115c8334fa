package mp4j.queues;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The one framing of messages over a ring: what the writer cuts, the assembler puts back, byte for byte. */
class RingFramingTest
{
    private static final int CAPACITY = 1024; // records of at most 128 bytes

    private final OneToOneRingBuffer ring = new OneToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
    private final RingFraming.Writer writer = new RingFraming.Writer(ring);
    private final RingFraming.Assembler assembler = new RingFraming.Assembler();
    private final List<byte[]> received = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();

    @Test
    void messagesOfEveryLengthRoundTripThroughARingSmallerThanThem()
    {
        final int max = ring.maxMsgLength();
        for (final int length : new int[] {0, 1, max - 1, max, max + 1, 2 * max - 4, 2 * max - 3, 3 * max, 5000})
        {
            final byte[] message = message(length);
            final UnsafeBuffer src = new UnsafeBuffer(message);
            int fullRings = 0;
            while (!writer.write(src, 0, length))
            {
                fullRings++;
                assertTrue(writer.isMidMessage() || length <= max, "a full ring before the first record writes none");
                readAll(); // the ring frees up; the writer goes on where it stopped
            }
            readAll();
            assertEquals(1, received.size(), "length " + length);
            assertArrayEquals(message, received.remove(0), "length " + length);
            if (length > CAPACITY)
            {
                assertTrue(fullRings > 0, "a message longer than the ring was written as it emptied");
            }
            assertEquals(RingFraming.records(length, max), types.size(), "records for length " + length);
            assertEquals(length <= max ? List.of(RingFraming.WHOLE) : expectedTypes(types.size()), types);
            types.clear();
        }
    }

    @Test
    void theFirstRecordCarriesTheTotalAsTheLayoutSays()
    {
        final int max = ring.maxMsgLength();
        final byte[] message = message(max + 10);
        assertTrue(writer.write(new UnsafeBuffer(message), 0, message.length));
        final List<byte[]> bodies = new ArrayList<>();
        ring.read((type, buffer, index, length) ->
        {
            final byte[] body = new byte[length];
            buffer.getBytes(index, body);
            bodies.add(body);
            types.add(type);
        });
        assertEquals(List.of(RingFraming.FIRST, RingFraming.LAST), types);
        final ByteBuffer first = ByteBuffer.wrap(bodies.get(0)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(message.length, first.getInt(RingFraming.FIRST_TOTAL_OFFSET));
        assertEquals(max, bodies.get(0).length);
        assertEquals(message[0], bodies.get(0)[RingFraming.FIRST_BYTES_OFFSET]);
        assertEquals(14, bodies.get(1).length); // 4 bytes of total took the place of 4 bytes of message
    }

    @Test
    void aStrayRecordIsToldApartAndAMessageStartedAgainWins()
    {
        final UnsafeBuffer piece = new UnsafeBuffer(new byte[8]);
        assertEquals(RingFraming.Assembler.STRAY, assembler.onRecord(RingFraming.MIDDLE, piece, 0, 8));
        assertEquals(RingFraming.Assembler.STRAY, assembler.onRecord(RingFraming.LAST, piece, 0, 8));
        assertEquals(RingFraming.Assembler.STRAY, assembler.onRecord(99, piece, 0, 8));

        final UnsafeBuffer first = new UnsafeBuffer(new byte[12]);
        first.putInt(RingFraming.FIRST_TOTAL_OFFSET, 100, ByteOrder.LITTLE_ENDIAN);
        assertEquals(RingFraming.Assembler.PART, assembler.onRecord(RingFraming.FIRST, first, 0, 12));
        assertTrue(assembler.isMidMessage());
        // its writer died; the next writer's message starts over
        first.putInt(RingFraming.FIRST_TOTAL_OFFSET, 16, ByteOrder.LITTLE_ENDIAN);
        assertEquals(RingFraming.Assembler.PART, assembler.onRecord(RingFraming.FIRST, first, 0, 12));
        assertEquals(RingFraming.Assembler.MESSAGE, assembler.onRecord(RingFraming.LAST, piece, 0, 8));
        assertEquals(16, assembler.length());
        assertFalse(assembler.isMidMessage());
    }

    @Test
    void piecesThatDisagreeWithTheTotalAreOutOfStep()
    {
        final UnsafeBuffer first = new UnsafeBuffer(new byte[12]);
        first.putInt(RingFraming.FIRST_TOTAL_OFFSET, 20, ByteOrder.LITTLE_ENDIAN);
        final UnsafeBuffer piece = new UnsafeBuffer(new byte[16]);

        assembler.onRecord(RingFraming.FIRST, first, 0, 12);
        assertThrows(IllegalStateException.class, () -> assembler.onRecord(RingFraming.LAST, piece, 0, 4),
            "a last record short of the total: a record was lost");
        assertFalse(assembler.isMidMessage());

        assembler.onRecord(RingFraming.FIRST, first, 0, 12);
        assertThrows(IllegalStateException.class, () -> assembler.onRecord(RingFraming.MIDDLE, piece, 0, 16),
            "a middle record past the total");

        assembler.onRecord(RingFraming.FIRST, first, 0, 12);
        assertThrows(IllegalStateException.class, () -> assembler.onRecord(RingFraming.MIDDLE, piece, 0, 12),
            "a middle record that ends the message should have been the last");

        first.putInt(RingFraming.FIRST_TOTAL_OFFSET, 5, ByteOrder.LITTLE_ENDIAN);
        assertThrows(IllegalStateException.class, () -> assembler.onRecord(RingFraming.FIRST, first, 0, 12),
            "a first record that holds all of its message");
    }

    @Test
    void anAbandonedMessageLeavesAStrayTailThatTheNextMessageDoesNotCarry()
    {
        final int max = ring.maxMsgLength();
        final byte[] big = message(CAPACITY * 2);
        assertFalse(writer.write(new UnsafeBuffer(big), 0, big.length), "more than the ring holds");
        assertTrue(writer.isMidMessage());
        writer.abandon();
        assertFalse(writer.isMidMessage());
        readAll();
        assertEquals(List.of(), received, "half a message is never handed on");
        final byte[] small = message(max / 2);
        assertTrue(writer.write(new UnsafeBuffer(small), 0, small.length));
        readAll();
        assertArrayEquals(small, received.get(0));
    }

    private void readAll()
    {
        while (true)
        {
            final long head = ring.consumerPosition();
            if (ring.read(this::onRecord) == 0 && ring.consumerPosition() == head)
            {
                return; // empty (a read that only passed over padding at the ring's end returns 0 too)
            }
        }
    }

    private void onRecord(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        types.add(type);
        if (assembler.onRecord(type, buffer, index, length) == RingFraming.Assembler.MESSAGE)
        {
            received.add(copy(assembler.buffer(), assembler.offset(), assembler.length()));
        }
    }

    private static List<Integer> expectedTypes(final int records)
    {
        final List<Integer> expected = new ArrayList<>();
        expected.add(RingFraming.FIRST);
        for (int i = 1; i < records - 1; i++)
        {
            expected.add(RingFraming.MIDDLE);
        }
        expected.add(RingFraming.LAST);
        return expected;
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    private static byte[] message(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        return bytes;
    }
}
