package mp4j.launcher.bench;

import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ceiling of mp4j's own rings: Agrona's {@link OneToOneRingBuffer} (as a Pipe's) or {@link ManyToOneRingBuffer}
 * (as a Queue's) between this process and a producer JVM, over a file mapped from /dev/shm, with nothing of mp4j on
 * top (no value encoding, no consumers' lock, no session). The same stream and ping-pong as {@link MessagingBench}.
 * <p>
 * The file holds three rings: the stream's (4 MiB), and a small one each way for the ping-pong.
 */
final class RawRingPeer
{
    private static final int DATA_CAPACITY = 4 << 20;
    private static final int PING_CAPACITY = 64 << 10;
    private static final int TRAILER = RingBufferDescriptor.TRAILER_LENGTH;
    private static final int DATA_AT = 0;
    private static final int PING_AT = DATA_AT + DATA_CAPACITY + TRAILER;
    private static final int PONG_AT = PING_AT + PING_CAPACITY + TRAILER;
    private static final int FILE_LENGTH = PONG_AT + PING_CAPACITY + TRAILER;
    private static final int MESSAGE_TYPE = 1;

    private RawRingPeer()
    {
    }

    /** Messages per second of the stream and the ping-pong's round trips in microseconds. */
    record Result(double messagesPerSecond, double[] roundTripsMicros)
    {
    }

    static Result measure(final boolean manyToOne, final int warmUp, final int count, final int rounds)
        throws Exception
    {
        final File file = new File("/dev/shm", "agrona-ring-bench-" + ProcessHandle.current().pid() + "-" +
            System.nanoTime());
        final MappedByteBuffer mapped = IoUtil.mapNewFile(file, FILE_LENGTH);
        final Process producer;
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            final RingBuffer data = ring(buffer, DATA_AT, DATA_CAPACITY, manyToOne);
            final RingBuffer ping = ring(buffer, PING_AT, PING_CAPACITY, manyToOne);
            final RingBuffer pong = ring(buffer, PONG_AT, PING_CAPACITY, manyToOne);
            final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Producer.class.getName(), file.getPath(),
                Boolean.toString(manyToOne), Integer.toString(warmUp + count), Integer.toString(rounds)));
            producer = new ProcessBuilder(command).inheritIO().start();
            try
            {
                final IdleStrategy idle = new BackoffIdleStrategy(10, 2_000, 1_000, 100_000);
                final long[] received = new long[1];
                final org.agrona.concurrent.MessageHandler counter = (type, b, offset, length) -> received[0]++;
                while (received[0] < warmUp + 1)
                {
                    idle(idle, data.read(counter, 1));
                }
                final long t0 = System.nanoTime();
                while (received[0] < warmUp + count)
                {
                    idle(idle, data.read(counter));
                }
                final double seconds = (System.nanoTime() - t0) / 1e9;
                final double[] us = new double[rounds];
                final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
                for (int i = 0; i < rounds; i++)
                {
                    final long began = System.nanoTime();
                    while (!ping.write(MESSAGE_TYPE, message, 0, 8))
                    {
                        idle.idle();
                    }
                    idle.reset();
                    final long before = received[0];
                    while (received[0] == before)
                    {
                        idle(idle, pong.read(counter, 1));
                    }
                    us[i] = (System.nanoTime() - began) / 1e3;
                }
                if (!producer.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("the raw ring's producer did not finish");
                }
                return new Result((count - 1) / seconds, us);
            }
            finally
            {
                producer.destroyForcibly();
                producer.waitFor();
            }
        }
        finally
        {
            IoUtil.unmap(mapped);
            IoUtil.delete(file, true);
        }
    }

    private static void idle(final IdleStrategy idle, final int work)
    {
        if (work > 0)
        {
            idle.reset();
        }
        else
        {
            idle.idle();
        }
    }

    private static RingBuffer ring(final UnsafeBuffer file, final int at, final int capacity, final boolean manyToOne)
    {
        final UnsafeBuffer view = new UnsafeBuffer(file, at, capacity + TRAILER);
        return manyToOne ? new ManyToOneRingBuffer(view) : new OneToOneRingBuffer(view);
    }

    /** The producer JVM: streams 8-byte messages into the data ring, then echoes every ping as a pong. */
    public static final class Producer
    {
        public static void main(final String[] args)
        {
            final File file = new File(args[0]);
            final boolean manyToOne = Boolean.parseBoolean(args[1]);
            final int count = Integer.parseInt(args[2]);
            final int rounds = Integer.parseInt(args[3]);
            final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, "raw ring");
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            final RingBuffer data = ring(buffer, DATA_AT, DATA_CAPACITY, manyToOne);
            final RingBuffer ping = ring(buffer, PING_AT, PING_CAPACITY, manyToOne);
            final RingBuffer pong = ring(buffer, PONG_AT, PING_CAPACITY, manyToOne);
            final IdleStrategy idle = new BackoffIdleStrategy(10, 2_000, 1_000, 100_000);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < count; i++)
            {
                while (!data.write(MESSAGE_TYPE, message, 0, 8))
                {
                    idle.idle();
                }
                idle.reset();
            }
            final int[] pinged = new int[1];
            final org.agrona.concurrent.MessageHandler echo = (type, b, offset, length) ->
            {
                while (!pong.write(MESSAGE_TYPE, b, offset, length))
                {
                    Thread.onSpinWait();
                }
                pinged[0]++;
            };
            while (pinged[0] < rounds)
            {
                idle(idle, ping.read(echo, 1));
            }
            IoUtil.unmap(mapped);
        }
    }
}
