package mp4j.queues;

import mp4j.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class QueueTest
{
    @Test
    void fifoWithQsizeEmptyFull() throws Exception
    {
        final Queue q = new Queue(3);
        assertTrue(q.empty());
        assertFalse(q.full());
        q.put(1);
        q.put("two");
        q.putNowait(List.of(3L));
        assertEquals(3, q.qsize());
        assertTrue(q.full());
        assertFalse(q.empty());
        final Full full = assertThrows(Full.class, () -> q.putNowait(4));
        assertTrue(full.getMessage().contains("maxsize 3"), full.getMessage());
        assertEquals(1, q.get());
        assertEquals("two", q.getNowait());
        assertEquals(List.of(3L), q.get(true, 1000));
        assertThrows(Empty.class, q::getNowait);
        assertTrue(q.empty());
        assertEquals(0, q.qsize());
    }

    @Test
    void timeoutsOnBothSides() throws Exception
    {
        final Queue q = new Queue(1);
        long began = System.nanoTime();
        assertThrows(Empty.class, () -> q.get(true, 100));
        long ms = (System.nanoTime() - began) / 1_000_000;
        assertTrue(ms >= 99 && ms < 5_000, "get(timeout 100) took " + ms + " ms");
        q.put("x");
        began = System.nanoTime();
        assertThrows(Full.class, () -> q.put("y", true, 100));
        ms = (System.nanoTime() - began) / 1_000_000;
        assertTrue(ms >= 99 && ms < 5_000, "put(timeout 100) took " + ms + " ms");
        assertEquals(1, q.qsize(), "the failed put left nothing behind");
        assertEquals("x", q.get());
        q.put("z", true, 100);
        assertEquals("z", q.get());
    }

    @Test
    void blockedGetWakesWhenAValueComes() throws Exception
    {
        final Queue q = new Queue();
        final Thread later = new Thread(() ->
        {
            try
            {
                Thread.sleep(50);
                q.put("late");
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        later.start();
        assertEquals("late", q.get());
        later.join();
    }

    @Test
    void manyThreadsNoLossNoDuplicateFifoPerProducer() throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, 4096); // small ring: producers wait for room
        final int producers = 4;
        final int consumers = 4;
        final int each = 20_000;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        final List<List<Long>> got = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final long id = p;
            threads.add(new Thread(() ->
            {
                try
                {
                    for (long i = 0; i < each; i++)
                    {
                        q.put(id << 32 | i);
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }));
        }
        for (int c = 0; c < consumers; c++)
        {
            final List<Long> mine = new ArrayList<>();
            got.add(mine);
            threads.add(new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < producers * each / consumers; i++)
                    {
                        mine.add((Long)q.get());
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertNull(failure.get());
        final Set<Long> all = new HashSet<>();
        for (final List<Long> mine : got)
        {
            final long[] last = new long[producers];
            java.util.Arrays.fill(last, -1);
            for (final long v : mine)
            {
                assertTrue(all.add(v), "duplicate " + v);
                final int p = (int)(v >>> 32);
                assertTrue((v & 0xFFFF_FFFFL) > last[p], "out of order for producer " + p);
                last[p] = v & 0xFFFF_FFFFL;
            }
        }
        assertEquals(producers * each, all.size());
        assertTrue(q.empty());
    }

    @Test
    void oversizedValuesFromManyThreadsArriveWholeBetweenSmallOnes() throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, 4096); // records of at most 512 bytes
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 3; p++)
        {
            final int id = p;
            producers.add(new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < 20; i++)
                    {
                        final byte[] big = new byte[100_000 + i];
                        java.util.Arrays.fill(big, (byte)(id * 20 + i));
                        q.put(big);
                        q.put(id * 1000 + i);
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }));
        }
        producers.forEach(Thread::start);
        int bigs = 0;
        int smalls = 0;
        for (int i = 0; i < 120; i++)
        {
            final Object v = q.get(true, 30_000);
            if (v instanceof byte[] big)
            {
                final byte fill = big[0];
                assertEquals(100_000 + fill % 20, big.length);
                for (final byte b : big)
                {
                    assertEquals(fill, b);
                }
                bigs++;
            }
            else
            {
                assertInstanceOf(Integer.class, v);
                smalls++;
            }
        }
        for (final Thread thread : producers)
        {
            thread.join();
        }
        assertNull(failure.get());
        assertEquals(60, bigs);
        assertEquals(60, smalls);
    }

    @Test
    void joinableQueueJoinsWhenAllTasksAreDone() throws Exception
    {
        final JoinableQueue q = new JoinableQueue();
        q.put("a");
        q.put("b");
        assertFalse(q.join(50));
        final Thread worker = new Thread(() ->
        {
            try
            {
                for (int i = 0; i < 2; i++)
                {
                    q.get();
                    q.taskDone();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        q.join();
        assertEquals(0, q.unfinishedTasks());
        worker.join();
        final IllegalStateException tooMany = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(tooMany.getMessage().contains("more times"), tooMany.getMessage());
    }

    @Test
    void closedHandleRefusesPutAndGet() throws Exception
    {
        final Queue q = new Queue();
        q.put(1);
        q.close();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> q.put(2));
        assertTrue(ex.getMessage().contains("is closed"), ex.getMessage());
        assertThrows(IllegalStateException.class, q::get);
        final SimpleQueue sq = new SimpleQueue();
        assertTrue(sq.empty());
        sq.put("s");
        assertFalse(sq.empty());
        assertEquals("s", sq.get());
        sq.close();
        assertThrows(IllegalStateException.class, () -> sq.put(1));
    }

    @Test
    void inspectorLine() throws Exception
    {
        final JoinableQueue q = new JoinableQueue(10);
        q.put(1L);
        q.put(2L);
        q.get();
        final java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        QueuesDescriber.queue(q.session(), q.entry(), out);
        assertEquals(1L, out.get("depth"));
        assertEquals(10, out.get("maxsize"));
        assertEquals(QueueLayout.DEFAULT_CAPACITY, out.get("capacity"));
        assertEquals(1, out.get("producers"));
        assertEquals(1, out.get("consumers"));
        assertEquals(2L, out.get("unfinished"));
    }
}
