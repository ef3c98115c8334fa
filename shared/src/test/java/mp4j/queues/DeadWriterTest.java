package mp4j.queues;

import mp4j.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Plays, in one process, the states a producer or consumer killed half-way leaves behind in the ring: a record
 * claimed and never committed, a record zeroed and not passed. Slot 63 stands for the dead process (no process is
 * there). What they leave in the spill: SpillTest.
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
        q.core.header().putLong(QueueLayout.PRODUCERS_OFFSET, 1L << DEAD_SLOT); // ... by a producer now dead
        q.put("after");
        assertEquals("before", q.get());
        final long began = System.nanoTime();
        assertEquals("after", q.get(true, 20_000));
        final long ms = (System.nanoTime() - began) / 1_000_000;
        assertTrue(ms >= QueueCore.UNBLOCK_AFTER_DEAD_NS / 1_000_000 - 1 && ms < 5_000,
            "unblocked after " + ms + " ms");
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
        q.core.header().putLong(QueueLayout.CONSUMER_LOCK_OFFSET, (long)(DEAD_SLOT + 1) << 32 | 1);
        final long began = System.nanoTime();
        assertEquals("next", q.get(true, 20_000));
        final long ms = (System.nanoTime() - began) / 1_000_000;
        assertTrue(ms < 5_000, "mended after " + ms + " ms");
        assertEquals(1, q.qsize(), "the lost value stays counted: qsize drifts by one per value lost with a killed consumer");
    }
}
