package mp4j.queues;

import mp4j.session.Session;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Plays, in one process, the states a producer killed half-way leaves behind: a ring record claimed and never
 * committed, and a fragmented value cut short. Slot 63 stands for the dead producer (no process is there).
 */
@Timeout(60)
class DeadWriterTest
{
    private static final int DEAD_SLOT = 63;

    @Test
    void aRecordClaimedByADeadProducerIsUnblocked() throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, 4096);
        q.put("before");
        final int claimed = q.core.mainRing().ring().tryClaim(MessageRing.WHOLE, 16);
        assertTrue(claimed > 0);
        q.core.header().putLong(QueueCore.PRODUCERS_OFFSET, 1L << DEAD_SLOT); // ... by a producer now dead
        q.put("after");
        assertEquals("before", q.get());
        final long began = System.nanoTime();
        assertEquals("after", q.get(true, 20_000));
        final long ms = (System.nanoTime() - began) / 1_000_000;
        assertTrue(ms >= QueueCore.UNBLOCK_AFTER_DEAD_NS / 1_000_000 - 1 && ms < 5_000,
            "unblocked after " + ms + " ms");
    }

    @Test
    void aFragmentedValueCutShortByItsWritersDeathIsSkipped() throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, 4096); // records of at most 512 bytes
        final MessageRing main = q.core.mainRing();
        final MessageRing overflow = q.core.overflowRing();
        // the dead writer: marker out, first fragment out, the next fragment claimed and never committed
        q.core.header().putLong(QueueCore.SEQ_OFFSET, 1);
        assertTrue(main.tryWriteMarker(0, DEAD_SLOT, 0));
        final int first = overflow.ring().tryClaim(MessageRing.FIRST, overflow.ring().maxMsgLength());
        final UnsafeBuffer ring = new UnsafeBuffer(overflow.ring().buffer());
        ring.putInt(first, 1_000_000);
        ring.putLong(first + Integer.BYTES, 0);
        overflow.ring().commit(first);
        assertTrue(overflow.ring().tryClaim(MessageRing.MIDDLE, 128) > 0);
        // a live writer comes next, with a value in fragments too
        final byte[] big = new byte[20_000];
        big[19_999] = 9;
        q.put(big);
        q.put("small");
        assertArrayEquals(big, (byte[])q.get(true, 20_000));
        assertEquals("small", q.get(true, 20_000));
        assertTrue(q.empty());
    }

    @Test
    void aConsumerKilledInsideAReadIsMendedByTheNextConsumer() throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, 4096);
        q.put("lost with the dead consumer");
        q.put("next");
        // the dead consumer: it zeroed the first record and died before moving the head, holding the turn
        final org.agrona.concurrent.ringbuffer.RingBuffer ring = q.core.mainRing().ring();
        final int head = (int)ring.consumerPosition() & (ring.capacity() - 1);
        final int recordLength = ring.buffer().getInt(head);
        ring.buffer().setMemory(head, (recordLength + 7) & ~7, (byte)0);
        q.core.header().putLong(QueueCore.CONSUMER_LOCK_OFFSET, (long)(DEAD_SLOT + 1) << 32 | 1);
        final long began = System.nanoTime();
        assertEquals("next", q.get(true, 20_000));
        final long ms = (System.nanoTime() - began) / 1_000_000;
        assertTrue(ms < 5_000, "mended after " + ms + " ms");
        assertEquals(1, q.qsize(), "the lost value stays counted: qsize drifts by one per value lost with a killed consumer");
    }
}
