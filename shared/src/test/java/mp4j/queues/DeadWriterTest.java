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
        assertTrue(ms >= QueueCore.UNBLOCK_AFTER_NS / 1_000_000 - 1 && ms < 5_000,
            "unblocked after " + ms + " ms");
    }

    @Test
    void valuesSpilledWhileADeadProducersRecordBlocksTheRingComeAfterTheValuesBehindIt() throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, 4096);
        final int claimed = q.core.mainRing().ring().tryClaim(MessageRing.WHOLE, 16);
        assertTrue(claimed > 0);
        q.core.header().putLong(QueueLayout.PRODUCERS_OFFSET, 1L << DEAD_SLOT);
        int put = 0;
        while (!q.core.spill().isActive()) // into the ring behind the dead record, until it is full
        {
            q.put(put++);
        }
        assertTrue(put > 1, "some values went into the ring before the spill");
        q.put(put++);
        q.put(put++);
        for (int i = 0; i < put; i++)
        {
            assertEquals(i, q.get(true, 20_000), "one producer's values in the order it put them");
        }
        assertTrue(q.empty());
    }

    @Test
    void aRecordOfALiveWriterStillInsideItsWriteIsWaitedFor() throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, 4096);
        q.put("before");
        // a live producer (this process) between claiming and committing, as a slow or stopped one is
        final int inFlight = QueueLayout.writesInFlightOffset(mp4j.session.CurrentSlot.get());
        q.core.header().getAndAddLong(inFlight, 1);
        final org.agrona.ExpandableArrayBuffer late = new org.agrona.ExpandableArrayBuffer(64);
        final int length = new mp4j.codec.ValueCodec().encode("late", late, 0);
        final int claimed = q.core.mainRing().ring().tryClaim(MessageRing.WHOLE, length);
        assertTrue(claimed > 0);
        q.core.header().getAndAddLong(QueueLayout.PRODUCERS_OFFSET, 1L << DEAD_SLOT); // a dead producer changes nothing
        assertEquals("before", q.get());
        final long wait = 3 * QueueCore.UNBLOCK_AFTER_NS / 1_000_000;
        assertThrows(Empty.class, () -> q.get(true, wait), "a live writer's record is not discarded");
        assertNotEquals(q.core.mainRing().ring().producerPosition(), q.core.mainRing().ring().consumerPosition());
        // it commits: the value is there, whole
        q.core.mainRing().ring().buffer().putBytes(claimed, late, 0, length);
        q.core.mainRing().ring().commit(claimed);
        q.core.header().getAndAddLong(inFlight, -1);
        assertEquals("late", q.get(true, 20_000));
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
