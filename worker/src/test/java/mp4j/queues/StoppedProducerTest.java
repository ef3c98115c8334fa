package mp4j.queues;

import mp4j.process.Process;
import mp4j.session.Session;
import mp4j.synchronize.Event;
import mp4j.testing.StartedProcesses;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A producer that is alive but does not run (SIGSTOP, or descheduled on a busy machine) in the middle of writing a
 * ring record keeps the queue's consumers waiting for it; its record is never discarded as a dead producer's would
 * be, even when another producer of the queue has exited. (In the same package as the queue, to see its ring.)
 */
@Timeout(180)
class StoppedProducerTest
{
    private static final int RING_BYTES = 4 << 20;
    private static final int VALUE_BYTES = 500_000; // nearly the most a 4 MiB ring's record holds: a long write

    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    /**
     * Puts byte arrays numbered 0, 1, 2, ... (the number in their first four bytes) until told to stop, a few ahead
     * of its consumer at most, so that they go into the ring and not the spill.
     */
    static void produce(final Object... args) throws Exception
    {
        final Queue q = (Queue)args[0];
        final Event stop = (Event)args[1];
        final byte[] value = new byte[VALUE_BYTES];
        for (int i = 0; ; i++)
        {
            if ((i & 63) == 0 && stop.isSet())
            {
                q.put(-1);
                return;
            }
            value[0] = (byte)(i >>> 24);
            value[1] = (byte)(i >>> 16);
            value[2] = (byte)(i >>> 8);
            value[3] = (byte)i;
            while (q.qsize() > 2)
            {
                Thread.onSpinWait();
            }
            q.put(value);
        }
    }

    @Test
    void aLiveProducerStoppedMidWriteIsWaitedForNotDiscarded() throws Exception
    {
        final Queue q = Queue.create(Session.current(), null, 0, RING_BYTES);
        final Process exited = started.track(new Process(args -> ((Queue)args[0]).put("from one that has exited"), q));
        exited.start();
        exited.join();
        assertEquals(0, exited.exitCode());
        assertEquals("from one that has exited", q.get()); // a producer of the queue is now dead

        final Event stop = new Event();
        final Process producer = started.track(new Process(StoppedProducerTest::produce, q, stop));
        producer.start();
        final RingBuffer ring = q.core.mainRing().ring();
        final int[] next = {0};
        boolean caught = false;
        try
        {
            for (int attempt = 0; attempt < 200 && !caught; attempt++)
            {
                for (int i = 0; i < 10; i++)
                {
                    expect(next, q.get(true, 60_000));
                }
                // the signal is on its way while this thread keeps taking values, so that the producer writes
                // into the ring (not the spill) when it stops
                final java.lang.Process kill = signal("STOP", producer.pid());
                while (!stopped(Path.of("/proc/" + producer.pid() + "/stat")))
                {
                    takeNowait(q, next);
                }
                assertEquals(0, kill.waitFor());
                awaitAllThreadsStopped(producer.pid());
                takeNowait(q, next);
                if (ring.producerPosition() != ring.consumerPosition())
                {
                    caught = true; // stopped between claiming its record and committing it
                    System.out.println("stopped mid-write at attempt " + attempt + ", after value " + next[0]);
                    final long began = System.nanoTime();
                    assertThrows(Empty.class, () -> q.get(true, 500), "nothing but the stopped record is there");
                    assertTrue(System.nanoTime() - began >= 400_000_000L, "get waited its timeout out");
                    assertNotEquals(ring.producerPosition(), ring.consumerPosition(),
                        "the live producer's record is still there, unread and not discarded");
                }
                assertEquals(0, signal("CONT", producer.pid()).waitFor());
            }
        }
        finally
        {
            signal("CONT", producer.pid()).waitFor();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(caught,
            "the producer was never caught stopped in the middle of a write in 200 tries on this machine (a busy one);"
                + " DeadWriterTest covers the rule in one process");
        stop.set();
        while (true)
        {
            final Object value = q.get(true, 60_000);
            if (Integer.valueOf(-1).equals(value))
            {
                break;
            }
            expect(next, value);
        }
        producer.join();
        assertEquals(0, producer.exitCode());
    }

    /** Checks that {@code value} is number next[0], and counts it. */
    private static void expect(final int[] next, final Object value)
    {
        final byte[] bytes = (byte[])value;
        final int number = (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF;
        assertEquals(next[0], number, "the value after " + (next[0] - 1));
        next[0]++;
    }

    private static void takeNowait(final Queue q, final int[] next)
    {
        while (true)
        {
            try
            {
                expect(next, q.getNowait());
            }
            catch (final Empty empty)
            {
                return;
            }
        }
    }

    private static java.lang.Process signal(final String signal, final long pid) throws IOException
    {
        return new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
    }

    /** True when the task whose stat file this is has stopped ('T'). */
    private static boolean stopped(final Path stat)
    {
        try
        {
            final String line = Files.readString(stat);
            final char state = line.charAt(line.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        }
        catch (final IOException gone)
        {
            return true; // a thread that ended
        }
    }

    /** Until every thread of the process is stopped ('T' in /proc/pid/task/tid/stat). */
    private static void awaitAllThreadsStopped(final long pid) throws IOException
    {
        final Path tasks = Path.of("/proc/" + pid + "/task");
        while (true)
        {
            boolean all = true;
            try (var list = Files.list(tasks))
            {
                for (final Path task : (Iterable<Path>)list::iterator)
                {
                    all &= stopped(task.resolve("stat"));
                }
            }
            if (all)
            {
                return;
            }
            Thread.onSpinWait();
        }
    }
}
