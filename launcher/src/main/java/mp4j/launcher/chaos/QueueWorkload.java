package mp4j.launcher.chaos;

import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.queues.Empty;
import mp4j.queues.Queue;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Producers and consumers on one small Queue (so producers wait for room and some values go in fragments); each
 * consumer reports every value it gets, with its own number, on a results queue. Checked: no value twice, none
 * out of its producer's order within one consumer, none invented; values missing are allowed only one per killed
 * consumer (the one it held when it died) and, for a killed producer, after the last one it put.
 */
public final class QueueWorkload implements ChaosWorkload
{
    private static final long STOP = -1;

    @Override
    public String name()
    {
        return "queue";
    }

    @Override
    public ChaosResult run(final Random random, final ChaosEvents events) throws Exception
    {
        final int producers = 2 + random.nextInt(2);
        final int consumers = 2 + random.nextInt(2);
        final int each = 5_000 + random.nextInt(20_000);
        final int maxsize = random.nextBoolean() ? 0 : 16 + random.nextInt(256);
        final Queue work = Queue.create(Session.current(), null, maxsize, random.nextBoolean() ? 4096 : 65536);
        // read only at the end: big enough for every report (a record of ~32 bytes each), or consumers would wait
        final Queue results = Queue.create(Session.current(), null, 0, 8 << 20);
        final List<Process> producerProcesses = new ArrayList<>();
        final List<Process> consumerProcesses = new ArrayList<>();
        for (int c = 0; c < consumers; c++)
        {
            final Process p = new Process(Consume.class, work, results, c).daemon(true).start();
            consumerProcesses.add(p);
            events.worker(p.pid(), "consumer", true);
        }
        for (int i = 0; i < producers; i++)
        {
            final Process p = new Process(Produce.class, work, i, each).daemon(true).start();
            producerProcesses.add(p);
            events.worker(p.pid(), "producer", true);
        }
        awaitRunning(producerProcesses);
        awaitRunning(consumerProcesses);
        events.emit("ready"); // kills land on running work, not on JVMs still starting
        int killedProducers = 0;
        long failed = 0;
        final boolean[] producerKilled = new boolean[producers];
        for (int i = 0; i < producers; i++)
        {
            final Process p = producerProcesses.get(i);
            if (!p.join(60_000))
            {
                throw new IllegalStateException("producer " + p.pid() + " did not end within 60 s: the queue is wedged");
            }
            producerKilled[i] = p.exitCode() == -9;
            killedProducers += producerKilled[i] ? 1 : 0;
            failed += p.exitCode() != 0 && p.exitCode() != -9 ? 1 : 0;
        }
        for (int c = 0; c < consumers; c++)
        {
            work.put(STOP, true, 30_000);
        }
        int killedConsumers = 0;
        for (final Process p : consumerProcesses)
        {
            if (!p.join(60_000))
            {
                throw new IllegalStateException("consumer " + p.pid() + " did not end within 60 s: the queue is wedged");
            }
            killedConsumers += p.exitCode() == -9 ? 1 : 0;
            failed += p.exitCode() != 0 && p.exitCode() != -9 ? 1 : 0;
        }
        // what no consumer took (all of them killed, say) is still received: the queue kept it
        final List<long[]> got = new ArrayList<>();
        drain(work, got, true);
        drain(results, got, false);

        long duplicated = 0;
        long wrong = failed; // a worker that threw: a bug, whatever it did
        final Set<Long> seen = new HashSet<>();
        final long[][] lastPerConsumer = new long[consumers + 1][producers];
        for (final long[] row : lastPerConsumer)
        {
            java.util.Arrays.fill(row, -1);
        }
        final int[] maxIndex = new int[producers];
        java.util.Arrays.fill(maxIndex, -1);
        final StringBuilder wrongDetail = new StringBuilder();
        for (final long[] item : got)
        {
            final int consumer = (int)item[0];
            final long value = item[1];
            final int producer = (int)(value >>> 32);
            final int index = (int)value;
            if (producer < 0 || producer >= producers || index < 0 || index >= each)
            {
                wrong++;
                note(wrongDetail, "invented value 0x" + Long.toHexString(value) + " from consumer " + consumer);
                continue;
            }
            if (!seen.add(value))
            {
                duplicated++;
                continue;
            }
            if (consumer < consumers && index <= lastPerConsumer[consumer][producer])
            {
                wrong++; // one consumer got a producer's values out of order
                note(wrongDetail, "consumer " + consumer + " got producer " + producer + "'s value " + index +
                    " after its value " + lastPerConsumer[consumer][producer]);
            }
            lastPerConsumer[Math.min(consumer, consumers)][producer] = index;
            maxIndex[producer] = Math.max(maxIndex[producer], index);
        }
        long missing = 0;
        for (int p = 0; p < producers; p++)
        {
            final int expected = producerKilled[p] ? maxIndex[p] + 1 : each;
            for (int i = 0; i < expected; i++)
            {
                missing += seen.contains((long)p << 32 | i) ? 0 : 1;
            }
        }
        final long allowed = Math.min(missing, killedConsumers);
        return new ChaosResult(seen.size(), missing - allowed, duplicated, wrong, allowed,
            producers + " producers (" + killedProducers + " killed) x " + consumers + " consumers (" +
            killedConsumers + " killed, " + failed + " failed), " + each + " values each, maxsize " + maxsize + "; " + seen.size() +
            " received, " + allowed + " lost with killed consumers" + wrongDetail);
    }

    /** The first few wrong values, named, so that a failed round says what it saw. */
    private static void note(final StringBuilder detail, final String what)
    {
        if (detail.length() < 600)
        {
            detail.append("; ").append(what);
        }
    }

    private static void awaitRunning(final List<Process> processes) throws InterruptedException
    {
        final ProcessTable table = Session.current().processTable();
        final long deadline = System.nanoTime() + 60_000_000_000L;
        for (final Process p : processes)
        {
            while (table.state(p.slot()) == SessionLayout.SLOT_NEW && p.isAlive())
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("worker " + p.pid() + " did not start within 60 s");
                }
                Thread.sleep(1);
            }
        }
    }

    /** Takes what is left; the consumer number of values taken here is the number of consumers. */
    private static void drain(final Queue queue, final List<long[]> into, final boolean fromWork)
        throws InterruptedException
    {
        while (true)
        {
            final Object value;
            try
            {
                value = queue.get(true, 500);
            }
            catch (final Empty ex)
            {
                return;
            }
            if (fromWork)
            {
                final long v = valueOf(value);
                if (v != STOP)
                {
                    into.add(new long[] {Integer.MAX_VALUE, v});
                }
            }
            else
            {
                into.add((long[])value);
            }
        }
    }

    static long valueOf(final Object item)
    {
        return item instanceof List<?> list ? (Long)list.get(0) : (Long)item;
    }

    /** Puts its values in order, every 97th one oversized (it goes in fragments), pausing now and then. */
    public static final class Produce implements Target
    {
        @Override
        public void run(final Object... args) throws InterruptedException
        {
            final Queue work = (Queue)args[0];
            final long id = (Integer)args[1];
            final int each = (Integer)args[2];
            final byte[] padding = new byte[1500];
            for (int i = 0; i < each; i++)
            {
                final long value = id << 32 | i;
                work.put(i % 97 == 0 ? List.of(value, padding) : value);
                if (i % 200 == 199)
                {
                    Thread.sleep(1);
                }
            }
        }
    }

    /** Gets until a stop value, reporting each value with its own number. */
    public static final class Consume implements Target
    {
        @Override
        public void run(final Object... args) throws InterruptedException
        {
            final Queue work = (Queue)args[0];
            final Queue results = (Queue)args[1];
            final long me = (Integer)args[2];
            while (true)
            {
                final long value = valueOf(work.get());
                if (value == STOP)
                {
                    return;
                }
                results.put(new long[] {me, value});
            }
        }
    }
}
