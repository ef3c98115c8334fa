package mp4j.queues;

import mp4j.process.Process;
import mp4j.session.Session;
import mp4j.synchronize.LockWord;
import mp4j.testing.StartedProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Queues between worker JVMs: no loss, no duplicates, FIFO per producer; killed producers and consumers. */
@Timeout(180)
class QueueProcessTest
{
    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    private Process track(final Process process)
    {
        return started.track(process);
    }

    @Test
    void fourProducersFourConsumersNoLossNoDuplicatesFifoPerProducer() throws Exception
    {
        final Queue work = Queue.create(Session.current(), null, 0, 8192); // small: producers wait for room
        final Queue results = new Queue();
        final int each = 5_000;
        for (int p = 0; p < 4; p++)
        {
            track(new Process(args ->
            {
                final Queue q = (Queue)args[0];
                final long id = (Integer)args[1];
                for (long i = 0; i < (Integer)args[2]; i++)
                {
                    q.put(id << 32 | i);
                    if (i % 1000 == 999)
                    {
                        q.put(new byte[20_000]); // oversized for this ring: goes in fragments
                    }
                }
            }, work, p, each)).start();
        }
        for (int c = 0; c < 4; c++)
        {
            track(new Process(args ->
            {
                final Queue q = (Queue)args[0];
                final List<Long> got = new ArrayList<>();
                int bigs = 0;
                while (true)
                {
                    final Object v = q.get();
                    if (v instanceof byte[] big)
                    {
                        bigs += big.length == 20_000 ? 1 : 1_000_000;
                        continue;
                    }
                    final long value = (Long)v;
                    if (value < 0)
                    {
                        break;
                    }
                    got.add(value);
                }
                final long[] array = got.stream().mapToLong(Long::longValue).toArray();
                ((Queue)args[1]).put(List.of(array, bigs));
            }, work, results)).start();
        }
        for (int p = 0; p < 4; p++)
        {
            started.get(p).join();
            assertEquals(0, started.get(p).exitCode());
        }
        for (int c = 0; c < 4; c++)
        {
            work.put(-1L);
        }
        final Set<Long> all = new HashSet<>();
        int bigs = 0;
        for (int c = 0; c < 4; c++)
        {
            final List<?> result = (List<?>)results.get(true, 60_000);
            final long[] got = (long[])result.get(0);
            bigs += (Integer)result.get(1);
            final long[] last = {-1, -1, -1, -1};
            for (final long v : got)
            {
                assertTrue(all.add(v), "duplicate " + v);
                final int p = (int)(v >>> 32);
                assertTrue((v & 0xFFFF_FFFFL) > last[p], "out of order for producer " + p);
                last[p] = v & 0xFFFF_FFFFL;
            }
        }
        assertEquals(4 * each, all.size(), "no value lost");
        assertEquals(4 * (each / 1000), bigs, "every oversized value arrived whole, once");
        assertTrue(work.empty());
    }

    @Test
    void killedProducerDoesNotWedgeTheQueue() throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, 4096);
        final Process producer = track(new Process(args ->
        {
            final Queue queue = (Queue)args[0];
            for (long i = 0; ; i++)
            {
                queue.put(i); // fills the ring, then waits for room
            }
        }, q)).start();
        assertEquals(0L, q.get(true, 30_000));
        // values in the queue before the kill (killed at its very first values, the producer may have finished none
        // after the one in its hands, and 'nothing more to read' would be right)
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (q.qsize() < 50)
        {
            assertTrue(System.nanoTime() < deadline, "the producer put 50 values within 30 s");
            Thread.onSpinWait();
        }
        producer.kill();
        producer.join();
        long expect = 1;
        while (true)
        {
            final Object v;
            try
            {
                v = q.get(true, 500);
            }
            catch (final Empty ex)
            {
                break;
            }
            assertEquals(expect++, v, "FIFO from the dead producer, nothing lost or repeated");
        }
        assertTrue(expect > 1);
        q.put("after");
        assertEquals("after", q.get(true, 10_000));
    }

    @Test
    void killedConsumerHoldingTheTurnIsTakenOver() throws Exception
    {
        final Queue q = new Queue();
        final Process consumer = track(new Process(args -> ((Queue)args[0]).get(), q)).start(); // waits, holding the turn
        final LockWord turn = new LockWord(Session.current(), q.entry().lockOffset());
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (LockWord.slotOf(turn.owner()) != consumer.slot())
        {
            assertTrue(System.nanoTime() < deadline, "the consumer never took its turn");
            Thread.sleep(5);
        }
        assertThrows(Empty.class, q::getNowait, "the turn is the worker's");
        consumer.kill();
        consumer.join();
        q.put("for the survivor");
        assertEquals("for the survivor", q.get(true, 10_000));
    }
}
