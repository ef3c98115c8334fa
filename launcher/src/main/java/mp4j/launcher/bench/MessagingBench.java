package mp4j.launcher.bench;

import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.queues.Connection;
import mp4j.queues.Pipe;
import mp4j.queues.Queue;
import mp4j.queues.SimpleQueue;
import mp4j.session.Session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * queue_8B_msgs_s and pipe_8B_msgs_s: one producer process streams 8-byte values (byte[8]) to one consumer
 * process (this one), which times the stream from its first value to its last; then the two play ping-pong,
 * for the round-trip latency (median and p99). Python's twins do the same with mp.Queue and mp.Pipe. A first,
 * untimed stream of {@link #WARMUP} values lets both JVMs compile the paths (the worker JVM starts cold), so the
 * figure is the steady state, as a Python loop is from its first iteration.
 */
public final class MessagingBench implements BenchFigure
{
    /** What the values travel through. */
    public enum Kind
    {
        QUEUE("queue_8B_msgs_s"), PIPE("pipe_8B_msgs_s");

        final String key;

        Kind(final String key)
        {
            this.key = key;
        }
    }

    static final int WARMUP = 1_000_000;

    private final Kind kind;
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private final Map<String, Double> peerValues = new LinkedHashMap<>();

    public MessagingBench(final Kind kind)
    {
        this.kind = kind;
    }

    @Override
    public String key()
    {
        return kind.key;
    }

    @Override
    public String description()
    {
        return (kind == Kind.QUEUE ? "Queue" : "Pipe") + ", 8-byte messages, 1 -> 1 process";
    }

    @Override
    public String target()
    {
        return (kind == Kind.QUEUE ? ">= 40x python" : ">= 10x python") + "; >= 1/1.5 of agrona_ring";
    }

    @Override
    public List<String> peers()
    {
        return List.of(PYTHON, RAW_RING);
    }

    @Override
    public Map<String, Double> peerValues()
    {
        return peerValues;
    }

    @Override
    public boolean higherIsBetter()
    {
        return true;
    }

    @Override
    public Map<String, Object> extras()
    {
        return extras;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final int count = quick ? 1_000_000 : 5_000_000;
        final int rounds = quick ? 2_000 : 20_000;
        final Session session = Session.current();
        final Object[] ends;
        final Receiver stream;
        final Receiver pong;
        final Sender ping;
        if (kind == Kind.QUEUE)
        {
            final Queue data = Queue.create(session, null, 0, 4 << 20);
            final Queue toWorker = new Queue();
            final Queue fromWorker = new Queue();
            ends = new Object[] {data, toWorker, fromWorker};
            stream = data::get;
            ping = toWorker::put;
            pong = fromWorker::get;
        }
        else
        {
            final Pipe data = Pipe.create(session, null, false, 4 << 20);
            final Pipe control = Pipe.create();
            ends = new Object[] {data.conn2(), control.conn2(), control.conn2()};
            stream = data.conn1()::recv;
            ping = control.conn1()::send;
            pong = control.conn1()::recv;
        }
        final Process worker = new Process(Producer.class, ends[0], ends[1], ends[2], count, rounds)
            .name("bench-producer").daemon(true).start();
        try
        {
            for (int i = 0; i < WARMUP; i++)
            {
                stream.next();
            }
            stream.next();
            final long t0 = System.nanoTime();
            for (int i = 1; i < count; i++)
            {
                stream.next();
            }
            final double seconds = (System.nanoTime() - t0) / 1e9;
            final double[] us = new double[rounds];
            final byte[] message = new byte[8];
            for (int i = 0; i < rounds; i++)
            {
                final long began = System.nanoTime();
                ping.send(message);
                pong.next();
                us[i] = (System.nanoTime() - began) / 1e3;
            }
            worker.join(30_000);
            extras.put("messages", count);
            extras.put("round_trip_median_us", Stats.median(us));
            extras.put("round_trip_p99_us", Stats.percentile(us, 0.99));
            // the ceiling: Agrona's ring of the same kind between two processes, nothing of mp4j on top
            final RawRingPeer.Result raw = RawRingPeer.measure(kind == Kind.QUEUE, WARMUP, count, rounds);
            peerValues.put(RAW_RING, raw.messagesPerSecond());
            extras.put("agrona_ring_round_trip_median_us", Stats.median(raw.roundTripsMicros()));
            extras.put("agrona_ring_round_trip_p99_us", Stats.percentile(raw.roundTripsMicros(), 0.99));
            if (kind == Kind.QUEUE)
            {
                // the other Python figures: 64-byte values through a Queue, 8-byte ones through a SimpleQueue
                final int extra = count / 2;
                final Queue wide = Queue.create(session, null, 0, 4 << 20);
                extras.put("queue_64B_msgs_s", stream(wide, wide::get, 64, extra));
                final SimpleQueue simple = SimpleQueue.create(session, null, 4 << 20);
                extras.put("simple_queue_8B_msgs_s", stream(simple, simple::get, 8, extra));
            }
            return (count - 1) / seconds;
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

    /** Values per second of one more stream of {@code size}-byte values from a new producer process. */
    private static double stream(final Object data, final Receiver receiver, final int size, final int count)
        throws Exception
    {
        final Process producer = new Process(Streamer.class, data, size, WARMUP / 2 + count)
            .name("bench-streamer").daemon(true).start();
        try
        {
            for (int i = 0; i < WARMUP / 2; i++)
            {
                receiver.next();
            }
            receiver.next();
            final long t0 = System.nanoTime();
            for (int i = 1; i < count; i++)
            {
                receiver.next();
            }
            final double seconds = (System.nanoTime() - t0) / 1e9;
            producer.join(30_000);
            return (count - 1) / seconds;
        }
        finally
        {
            if (producer.isAlive())
            {
                producer.kill();
                producer.join(5_000);
            }
        }
    }

    /** Streams {@code count} values of {@code size} bytes into a Queue or a SimpleQueue. */
    public static final class Streamer implements Target
    {
        @Override
        public void run(final Object... args) throws Exception
        {
            final byte[] message = new byte[(Integer)args[1]];
            final int count = (Integer)args[2];
            if (args[0] instanceof Queue queue)
            {
                for (int i = 0; i < count; i++)
                {
                    queue.put(message);
                }
            }
            else
            {
                final SimpleQueue queue = (SimpleQueue)args[0];
                for (int i = 0; i < count; i++)
                {
                    queue.put(message);
                }
            }
        }
    }

    @FunctionalInterface
    interface Receiver
    {
        Object next() throws Exception;
    }

    @FunctionalInterface
    interface Sender
    {
        void send(Object value) throws Exception;
    }

    /** The producer process: streams {@code count} byte[8] values, then echoes {@code rounds} pings. */
    public static final class Producer implements Target
    {
        @Override
        public void run(final Object... args) throws Exception
        {
            final int count = (Integer)args[3];
            final int rounds = (Integer)args[4];
            final byte[] message = new byte[8];
            if (args[0] instanceof Queue data)
            {
                final Queue in = (Queue)args[1];
                final Queue out = (Queue)args[2];
                for (int i = 0; i < WARMUP + count; i++)
                {
                    data.put(message);
                }
                for (int i = 0; i < rounds; i++)
                {
                    out.put(in.get());
                }
            }
            else
            {
                final Connection data = (Connection)args[0];
                final Connection control = (Connection)args[1];
                for (int i = 0; i < WARMUP + count; i++)
                {
                    data.send(message);
                }
                for (int i = 0; i < rounds; i++)
                {
                    control.send(control.recv());
                }
            }
        }
    }
}
