package mp4j.jmh;

import mp4j.queues.Pipe;
import mp4j.queues.Queue;
import mp4j.session.Session;
import org.agrona.BufferUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What a queue or pipe message costs in one process: Agrona's rings alone (offer then poll of 8 bytes, one thread;
 * and a producer thread against a consumer thread), then mp4j's Queue put+get and Pipe send+recv of a byte[8]
 * (codec, consumer lock, counters on top of the ring). The cross-process figures are {@code launcher bench
 * queue_8B_msgs_s} and {@code pipe_8B_msgs_s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class RingBenchmark
{
    private static final int CAPACITY = 1 << 20;

    /** Raw rings over direct memory, as the session's would be. */
    @State(Scope.Group)
    public static class Rings
    {
        final RingBuffer manyToOne = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final RingBuffer oneToOne = new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        long sum;
        final MessageHandler handler = (type, buffer, index, length) -> sum += buffer.getLong(index);
    }

    /** mp4j's objects in this process's session. */
    @State(Scope.Thread)
    public static class Objects
    {
        Queue queue;
        Pipe pipe;
        final byte[] message = new byte[8];

        @Setup
        public void setUp()
        {
            queue = Queue.create(Session.current(), null, 0, CAPACITY);
            pipe = Pipe.create(Session.current(), null, false, CAPACITY);
        }
    }

    @Benchmark
    @Group("manyToOneOfferPoll")
    public int manyToOneOfferThenPoll(final Rings rings)
    {
        rings.manyToOne.write(1, rings.message, 0, 8);
        return rings.manyToOne.read(rings.handler, 1);
    }

    @Benchmark
    @Group("oneToOneOfferPoll")
    public int oneToOneOfferThenPoll(final Rings rings)
    {
        rings.oneToOne.write(1, rings.message, 0, 8);
        return rings.oneToOne.read(rings.handler, 1);
    }

    /** A producer thread and a consumer thread on one ring: time per offer attempt and per poll. */
    @Benchmark
    @Group("manyToOneTwoThreads")
    @GroupThreads(1)
    public boolean offer(final Rings rings)
    {
        return rings.manyToOne.write(1, rings.message, 0, 8);
    }

    @Benchmark
    @Group("manyToOneTwoThreads")
    @GroupThreads(1)
    public int poll(final Rings rings)
    {
        return rings.manyToOne.read(rings.handler, 64);
    }

    @Benchmark
    public Object queuePutThenGet(final Objects objects) throws InterruptedException
    {
        objects.queue.put(objects.message);
        return objects.queue.get();
    }

    @Benchmark
    public Object pipeSendThenRecv(final Objects objects) throws Exception
    {
        objects.pipe.conn2().send(objects.message);
        return objects.pipe.conn1().recv();
    }
}
