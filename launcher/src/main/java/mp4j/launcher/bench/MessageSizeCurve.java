package mp4j.launcher.bench;

import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.queues.Connection;
import mp4j.queues.Pipe;
import mp4j.queues.Queue;
import mp4j.session.Session;

import java.util.ArrayList;
import java.util.List;

/**
 * curve_message_size: Queue and Pipe between two processes, against the message size (8 B to 4 MiB, powers of 4):
 * throughput of a stream (MB/s of values received) and the ping-pong round trip, median. One producer process per
 * kind walks the sizes; each point is a stream of about {@link #streamBytes} then {@code rounds} pings.
 */
public final class MessageSizeCurve implements BenchCurve
{
    static final int RING = 8 << 20;

    @Override
    public String key()
    {
        return "curve_message_size";
    }

    @Override
    public String title()
    {
        return "Queue and Pipe against message size";
    }

    @Override
    public String xLabel()
    {
        return "message size (bytes)";
    }

    @Override
    public List<String> yLabels()
    {
        return List.of("throughput (MB/s)", "round trip, median (us)");
    }

    @Override
    public List<Double> xs(final boolean quick)
    {
        final List<Double> sizes = new ArrayList<>();
        for (long size = 8; size <= 4L << 20; size *= 4)
        {
            sizes.add((double)size);
        }
        sizes.add((double)(4 << 20));
        return sizes;
    }

    @Override
    public String note()
    {
        return "Values are byte arrays of the size; the Queue's and Pipe's rings hold 8 MiB. Python's mp.Queue and " +
            "mp.Pipe at the same sizes.";
    }

    static int streamCount(final int size, final boolean quick)
    {
        return (int)Math.max(quick ? 16 : 64, Math.min(quick ? 100_000 : 1_000_000, streamBytes(quick) / size));
    }

    static long streamBytes(final boolean quick)
    {
        return quick ? 8L << 20 : 64L << 20;
    }

    static int rounds(final int size, final boolean quick)
    {
        return (int)Math.max(quick ? 10 : 20, Math.min(quick ? 500 : 5_000, (quick ? 2L << 20 : 16L << 20) / size));
    }

    @Override
    public List<Panel> measure(final boolean quick) throws Exception
    {
        final List<Double> xs = xs(quick);
        final int[] sizes = new int[xs.size()];
        for (int i = 0; i < sizes.length; i++)
        {
            sizes[i] = xs.get(i).intValue();
        }
        final Panel throughput = Panel.of();
        final Panel roundTrip = Panel.of();
        for (final boolean queue : new boolean[] {true, false})
        {
            final String name = queue ? "mp4j Queue" : "mp4j Pipe";
            final double[] mbps = throughput.series(name, sizes.length);
            final double[] us = roundTrip.series(name, sizes.length);
            measureKind(queue, sizes, quick, mbps, us);
        }
        return List.of(throughput, roundTrip);
    }

    private static void measureKind(final boolean queue, final int[] sizes, final boolean quick, final double[] mbps,
        final double[] roundTripUs) throws Exception
    {
        final Session session = Session.current();
        final MessagingBench.Receiver stream;
        final MessagingBench.Sender ping;
        final MessagingBench.Receiver pong;
        final Object[] ends;
        if (queue)
        {
            final Queue data = Queue.create(session, null, 0, RING);
            final Queue toWorker = Queue.create(session, null, 0, RING);
            final Queue fromWorker = Queue.create(session, null, 0, RING);
            ends = new Object[] {data, toWorker, fromWorker};
            stream = data::get;
            ping = toWorker::put;
            pong = fromWorker::get;
        }
        else
        {
            final Pipe data = Pipe.create(session, null, false, RING);
            final Pipe control = Pipe.create(session, null, true, RING);
            ends = new Object[] {data.conn2(), control.conn2(), control.conn2()};
            stream = data.conn1()::recv;
            ping = control.conn1()::send;
            pong = control.conn1()::recv;
        }
        final Process worker = new Process(Producer.class, ends[0], ends[1], ends[2], sizes, quick)
            .name("bench-size-producer").daemon(true).start();
        try
        {
            for (int i = 0; i < MessagingBench.WARMUP / 2; i++)
            {
                stream.next();
            }
            for (int s = 0; s < sizes.length; s++)
            {
                final int count = streamCount(sizes[s], quick);
                stream.next();
                final long t0 = System.nanoTime();
                for (int i = 1; i < count; i++)
                {
                    stream.next();
                }
                mbps[s] = (double)(count - 1) * sizes[s] / ((System.nanoTime() - t0) / 1e9) / 1e6;
                final int rounds = rounds(sizes[s], quick);
                final byte[] message = new byte[sizes[s]];
                final double[] us = new double[rounds];
                for (int i = 0; i < rounds; i++)
                {
                    final long began = System.nanoTime();
                    ping.send(message);
                    pong.next();
                    us[i] = (System.nanoTime() - began) / 1e3;
                }
                roundTripUs[s] = Stats.median(us);
            }
            worker.join(60_000);
        }
        finally
        {
            if (worker.isAlive())
            {
                worker.kill();
                worker.join(5_000);
            }
        }
    }

    /** Streams then echoes, size after size: (data, in, out, sizes, quick). */
    public static final class Producer implements Target
    {
        @Override
        public void run(final Object... args) throws Exception
        {
            final int[] sizes = (int[])args[3];
            final boolean quick = (Boolean)args[4];
            final MessagingBench.Sender data;
            final MessagingBench.Receiver in;
            final MessagingBench.Sender out;
            if (args[0] instanceof Queue queue)
            {
                data = queue::put;
                in = ((Queue)args[1])::get;
                out = ((Queue)args[2])::put;
            }
            else
            {
                data = ((Connection)args[0])::send;
                in = ((Connection)args[1])::recv;
                out = ((Connection)args[2])::send;
            }
            final byte[] small = new byte[8];
            for (int i = 0; i < MessagingBench.WARMUP / 2; i++)
            {
                data.send(small);
            }
            for (final int size : sizes)
            {
                final byte[] message = new byte[size];
                final int count = streamCount(size, quick);
                for (int i = 0; i < count; i++)
                {
                    data.send(message);
                }
                final int rounds = rounds(size, quick);
                for (int i = 0; i < rounds; i++)
                {
                    out.send(in.next());
                }
            }
        }
    }
}
