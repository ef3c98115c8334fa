package mp4j.jmh;

import mp4j.codec.ValueCodec;
import org.agrona.ExpandableArrayBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** The value encoding every task, result and queue message goes through: common values and the slow path. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class CodecBenchmark
{
    private final ValueCodec codec = new ValueCodec();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final Long boxedLong = 123_456_789L;
    private final String text = "the quick brown fox jumps over the lazy dog";
    private final List<Object> list = List.of(1, 2L, "three", 4.0);
    private final java.time.Duration serializable = java.time.Duration.ofMillis(1234);
    private int longLength;
    private int serializableLength;

    @Setup
    public void setUp()
    {
        longLength = codec.encode(boxedLong, buffer, 0);
        serializableLength = codec.encode(serializable, buffer, 2048);
    }

    @Benchmark
    public int encodeLong()
    {
        return codec.encode(boxedLong, buffer, 0);
    }

    @Benchmark
    public Object decodeLong()
    {
        return codec.decode(buffer, 0, longLength);
    }

    @Benchmark
    public int encodeString()
    {
        return codec.encode(text, buffer, 512);
    }

    @Benchmark
    public int encodeList()
    {
        return codec.encode(list, buffer, 1024);
    }

    @Benchmark
    public Object decodeSerializable()
    {
        return codec.decode(buffer, 2048, serializableLength);
    }
}
