package mp4j.queues;

import mp4j.codec.CodecException;
import mp4j.codec.SerialFilter;
import mp4j.codec.ValueCodec;
import mp4j.session.Session;
import mp4j.session.TempSession;
import mp4j.synchronize.LockWordLayout;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Unbounded queues and pipes, as Python's: what the ring has no room for goes to spill segments beside the session
 * file, freed as read. In one process, on a session in a folder of its own (so every file a queue makes is seen);
 * across processes: QueueProcessTest. Slot 7 of the test session stands for a dead process (no process is there).
 */
@Timeout(120)
class SpillTest
{
    private static final int DEAD_SLOT = 7;
    private static final int SMALL_RING = 4096;

    @RegisterExtension
    final TempSession temp = new TempSession();

    private List<String> sideFiles() throws IOException
    {
        final Path file = temp.session().file();
        try (Stream<Path> files = Files.list(file.getParent()))
        {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.equals(file.getFileName().toString()))
                .sorted().toList();
        }
    }

    @Test
    void anUnboundedQueueTakesEveryPutAsPythonsDoes() throws Exception
    {
        final Queue q = Queue.create(temp.session(), null, 0, SMALL_RING);
        for (int i = 0; i < 100_000; i++)
        {
            assertFalse(q.full(), "an unbounded queue is never full");
            if (i % 2 == 0)
            {
                q.put(i, true, 2000);
            }
            else
            {
                q.putNowait(i);
            }
        }
        assertEquals(100_000, q.qsize());
        assertFalse(sideFiles().isEmpty(), "what the ring could not hold is in spill segments");
        for (int i = 0; i < 100_000; i++)
        {
            assertEquals(i, q.get(true, 10_000), "FIFO across the ring and the spill");
        }
        assertTrue(q.empty());
        assertThrows(Empty.class, q::getNowait);
        assertEquals(List.of(), sideFiles(), "the spill's memory is returned once read");
        final Map<String, Object> out = new LinkedHashMap<>();
        QueuesDescriber.queue(q.session(), q.entry(), out);
        assertEquals(0L, out.get("spilled"));
        assertEquals(0L, out.get("spillBytes"));
        q.put("again");
        assertEquals("again", q.get(), "the ring is used again once the spill is drained");
        assertEquals(List.of(), sideFiles());
    }

    @Test
    void aStreamThatSpilledGoesBackToTheRingWhileItsConsumerTakesValues() throws Exception
    {
        final Queue q = Queue.create(temp.session(), null, 0, SMALL_RING);
        int put = 0;
        while (q.core.spill().depth() < 10) // no consumer yet: the ring fills (~16 values), then the spill
        {
            q.put(value(put++));
        }
        final AtomicInteger taken = new AtomicInteger();
        final AtomicInteger outOfOrder = new AtomicInteger();
        final Thread consumer = new Thread(() ->
        {
            try
            {
                for (int i = 0; ; i++)
                {
                    final Object value = q.get(true, 30_000);
                    if ("stop".equals(value))
                    {
                        return;
                    }
                    outOfOrder.addAndGet(value(i).equals(value) ? 0 : 1);
                    taken.incrementAndGet();
                    final long until = System.nanoTime() + 5_000; // slower than the producer
                    while (System.nanoTime() < until)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            catch (final Exception ex)
            {
                outOfOrder.incrementAndGet();
            }
        });
        consumer.start();
        try
        {
            while (taken.get() == 0 && consumer.isAlive())
            {
                Thread.onSpinWait();
            }
            // the producer streams on, one value for each its consumer takes: without waiting for the spill to
            // drain while the consumer takes values, every put would spill (order keeps a spill ACTIVE until it is
            // drained, and its depth stays put). A put waits at most a millisecond for the drain, so on a busy
            // machine a descheduled consumer may cost a try; each put after that is another try at the same depth.
            boolean backToTheRing = false;
            for (int i = 0; i < 5_000 && !backToTheRing; i++)
            {
                final long spilledBefore = q.core.spill().header().getLongVolatile(SpillLayout.TAIL_INDEX_OFFSET);
                final int takenBefore = taken.get();
                q.put(value(put++));
                backToTheRing = q.core.spill().header().getLongVolatile(SpillLayout.TAIL_INDEX_OFFSET) == spilledBefore;
                while (!backToTheRing && taken.get() == takenBefore && consumer.isAlive())
                {
                    Thread.yield();
                }
            }
            assertTrue(backToTheRing, "5,000 puts made while the consumer took values were all spilled");
            q.put("stop");
            consumer.join(60_000);
            assertFalse(consumer.isAlive());
            assertEquals(put, taken.get());
            assertEquals(0, outOfOrder.get(), "one producer's values in the order it put them");
        }
        finally
        {
            consumer.interrupt();
            consumer.join(10_000);
        }
    }

    /** A value of ~200 bytes, so that the small ring holds few and its consumer drains it and the spill quickly. */
    private static String value(final int i)
    {
        return String.format("%0200d", i);
    }

    @Test
    void fullTellsTheTruthAndPutNowaitAgreesWithIt() throws Exception
    {
        final int maxsize = 20_000; // far more than the ring holds
        final Queue q = Queue.create(temp.session(), null, maxsize, SMALL_RING);
        for (int i = 0; i < maxsize; i++)
        {
            assertFalse(q.full(), "not full at " + i);
            q.putNowait((long)i);
        }
        assertTrue(q.full());
        final Full full = assertThrows(Full.class, () -> q.putNowait(-1L));
        assertTrue(full.getMessage().contains("maxsize " + maxsize), full.getMessage());
        assertThrows(Full.class, () -> q.put(-1L, true, 10));
        assertEquals(0L, q.get());
        assertFalse(q.full());
        q.putNowait((long)maxsize);
        assertTrue(q.full());
        for (long i = 1; i <= maxsize; i++)
        {
            assertEquals(i, q.get());
        }
        assertFalse(q.full());
        assertTrue(q.empty());
        assertEquals(List.of(), sideFiles());
    }

    @Test
    void simpleAndJoinableQueuesAreUnboundedToo() throws Exception
    {
        final SimpleQueue simple = SimpleQueue.create(temp.session(), null, SMALL_RING);
        final JoinableQueue joinable = JoinableQueue.create(temp.session(), null, 0, SMALL_RING);
        for (int i = 0; i < 50_000; i++)
        {
            simple.put(i);
            joinable.putNowait(i);
        }
        assertEquals(50_000, joinable.unfinishedTasks());
        assertFalse(joinable.join(0));
        for (int i = 0; i < 50_000; i++)
        {
            assertEquals(i, simple.get());
            assertEquals(i, joinable.get());
            joinable.taskDone();
        }
        assertTrue(simple.empty());
        assertTrue(joinable.join(10_000));
        assertEquals(List.of(), sideFiles());
    }

    @Test
    void aPipeBuffersWhatItsReaderHasNotReadYet() throws Exception
    {
        final Pipe pipe = Pipe.create(temp.session(), null, false, 1024);
        final int count = 50_000;
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            for (int i = 0; i < count; i++)
            {
                pipe.conn2().send(i); // no reader yet: a send never waits
            }
            pipe.conn2().send(new byte[300_000]); // bigger than the whole ring
        }, "send waited for a reader");
        final Map<String, Object> out = new LinkedHashMap<>();
        QueuesDescriber.pipe(temp.session(), pipe.conn1().entry(), out);
        assertEquals((long)count + 1, out.get("depth"));
        for (int i = 0; i < count; i++)
        {
            assertEquals(i, pipe.conn1().recv());
        }
        assertEquals(300_000, ((byte[])pipe.conn1().recv()).length);
        assertFalse(pipe.conn1().poll());
        assertEquals(List.of(), sideFiles(), "the spill's memory is returned once read");
        pipe.conn2().send(new byte[500]); // bigger than a record (128 bytes), fits the empty ring: in fragments
        assertEquals(500, ((byte[])pipe.conn1().recv()).length);
        assertEquals(List.of(), sideFiles());
    }

    @Test
    void bigValuesTravelWithSmallOnesInOrder() throws Exception
    {
        final Queue q = Queue.create(temp.session(), null, 0, SMALL_RING);
        for (int i = 0; i < 30; i++)
        {
            final byte[] big = new byte[(1 << 20) + i];
            big[i] = (byte)i;
            q.put(big);
            q.put(i);
        }
        for (int i = 0; i < 30; i++)
        {
            final byte[] big = (byte[])q.get();
            assertEquals((1 << 20) + i, big.length);
            assertEquals((byte)i, big[i]);
            assertEquals(i, q.get());
        }
        assertTrue(q.empty());
        assertEquals(List.of(), sideFiles());
    }

    @Test
    void aRecordWrittenWholeByAWriterThatDiedBeforeMovingOnIsCountedIn() throws Exception
    {
        final Queue q = Queue.create(temp.session(), null, 0, SMALL_RING);
        long next = 0;
        while (!q.core.spill().isActive())
        {
            q.put(next++);
        }
        final AtomicBuffer spill = q.core.spill().header();
        final long tail = spill.getLong(SpillLayout.TAIL_OFFSET);
        final long appended = spill.getLong(SpillLayout.TAIL_INDEX_OFFSET);
        q.put(next++);
        // the dead writer: its record is whole, and it died holding the lock, before moving tail and index on
        spill.putLong(SpillLayout.TAIL_OFFSET, tail);
        spill.putLong(SpillLayout.TAIL_INDEX_OFFSET, appended);
        spill.putLong(SpillLayout.LOCK_OFFSET + LockWordLayout.OWNER_OFFSET, (long)(DEAD_SLOT + 1) << 32 | 1);
        q.put(next++);
        assertEquals(next, q.qsize());
        for (long i = 0; i < next; i++)
        {
            assertEquals(i, q.get(true, 10_000), "nothing lost, nothing twice");
        }
        assertTrue(q.empty());
        assertEquals(List.of(), sideFiles());
    }

    @Test
    void aRecordTakenByAReaderThatDiedBeforeMovingOnIsNotTakenTwice() throws Exception
    {
        final Queue q = Queue.create(temp.session(), null, 0, SMALL_RING);
        long next = 0;
        while (!q.core.spill().isActive())
        {
            q.put(next++);
        }
        for (int i = 0; i < 3; i++)
        {
            q.put(next++);
        }
        final AtomicBuffer spill = q.core.spill().header();
        final long spilled = q.core.spill().depth();
        long got = 0;
        long head;
        do
        {
            head = spill.getLong(SpillLayout.HEAD_OFFSET);
            assertEquals(got++, q.get()); // the ring's values first, then the first spilled one
        }
        while (q.core.spill().depth() == spilled);
        // the dead reader: it counted the record it took, and died holding the turn, before moving the head
        spill.putLong(SpillLayout.HEAD_OFFSET, head);
        q.core.header().putLong(QueueLayout.CONSUMER_LOCK_OFFSET, (long)(DEAD_SLOT + 1) << 32 | 1);
        while (got < next)
        {
            assertEquals(got++, q.get(true, 10_000), "the value the dead reader took is not read again");
        }
        assertTrue(q.empty());
        assertThrows(Empty.class, q::getNowait);
    }

    @Test
    void aValueTheReceiverMayNotDecodeIsHandedOverNotDropped() throws Exception
    {
        final Queue q = Queue.create(temp.session(), null, 2, SMALL_RING);
        q.put(new AtomicInteger(7)); // a JDK class outside the rule's safe set
        q.put("next");
        final CodecException refused = assertThrows(CodecException.class, q::get);
        assertTrue(refused.getMessage().contains("java.util.concurrent.atomic.AtomicInteger") &&
            refused.getMessage().contains("mp4j.serial.allow") && refused.getMessage().contains("queue '"),
            refused.getMessage());
        assertNotNull(refused.encoded(), "the value is in the exception");
        final Object value = new ValueCodec(SerialFilter.of(
            "java.util.concurrent.atomic.AtomicInteger")).decode(new UnsafeBuffer(refused.encoded()), 0,
            refused.encoded().length);
        assertEquals(7, ((AtomicInteger)value).get());
        assertFalse(q.full(), "its place is free again");
        assertEquals("next", q.get());
        // the same through the spill
        final Queue big = Queue.create(temp.session(), null, 0, SMALL_RING);
        for (int i = 0; i < 1000; i++)
        {
            big.put(i);
        }
        big.put(new AtomicInteger(8));
        big.put("after");
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(i, big.get());
        }
        assertNotNull(assertThrows(CodecException.class, big::get).encoded());
        assertEquals("after", big.get());
        // and through a pipe
        final Pipe pipe = Pipe.create(temp.session(), null, true, 1024);
        pipe.conn1().send(new AtomicInteger(9));
        pipe.conn1().send("after");
        assertNotNull(assertThrows(CodecException.class, pipe.conn2()::recv).encoded());
        assertEquals("after", pipe.conn2().recv());
    }

    @Test
    void aNegativeTimeoutIsRefusedAsPythonRefusesIt() throws Exception
    {
        final Queue q = Queue.create(temp.session(), null, 1, SMALL_RING);
        final IllegalArgumentException get = assertThrows(IllegalArgumentException.class, () -> q.get(true, -1));
        assertTrue(get.getMessage().contains("timeout must be >= 0") && get.getMessage().contains("get()"),
            get.getMessage());
        assertThrows(Empty.class, () -> q.get(false, -1), "the timeout means nothing when not blocking");
        assertThrows(IllegalArgumentException.class, () -> q.put(1, true, -5));
        q.put(1, false, -1);
        assertEquals(1, q.get(true, 0));
    }

    @Test
    void waitReturnsWhatIsReady() throws Exception
    {
        final Pipe pipe = Pipe.create(temp.session(), null, true, 1024);
        final Queue q = Queue.create(temp.session(), null, 0, SMALL_RING);
        final SimpleQueue simple = SimpleQueue.create(temp.session(), null, SMALL_RING);
        final List<Waitable> all = List.of(pipe.conn1(), q, simple);
        assertEquals(List.of(), Connection.wait(all, 20), "nothing ready: empty after the timeout");
        q.put("x");
        assertEquals(List.of(q), Connection.wait(all, 1000));
        pipe.conn2().send(1);
        simple.put(2);
        assertEquals(all, Connection.wait(all));
        q.get();
        pipe.conn1().recv();
        simple.get();
        assertEquals(List.of(), Connection.wait(all, 0));
        assertThrows(IllegalArgumentException.class, () -> Connection.wait(all, -1));
        final Thread later = new Thread(() ->
        {
            try
            {
                q.put("later");
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        later.start();
        assertEquals(List.of(q), Connection.wait(all));
        later.join();
    }

    @Test
    void theSessionsEndRemovesItsSpillSegments() throws Exception
    {
        final Session session = temp.session();
        final Queue q = Queue.create(session, null, 0, SMALL_RING);
        for (int i = 0; i < 10_000; i++)
        {
            q.put(i);
        }
        assertFalse(sideFiles().isEmpty());
        session.unlink();
        assertEquals(List.of(), sideFiles());
        assertFalse(Files.exists(session.file()));
    }
}
