package mp4j.jmh;

import mp4j.session.Session;
import mp4j.sharedctypes.Value;
import mp4j.synchronize.Lock;
import mp4j.synchronize.RLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Uncontended shared-memory lock pairs (lock_uncontended_pairs_s) and a locked Value increment, one thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class LockBenchmark
{
    private Path dir;
    private Session session;
    private Lock lock;
    private RLock rlock;
    private Value value;

    @Setup
    public void setUp() throws Exception
    {
        dir = Files.createTempDirectory("mp4j-jmh");
        session = Session.create(dir, 8, 16, 1 << 20);
        lock = Lock.create(session, "lock");
        rlock = RLock.create(session, "rlock");
        value = Value.create(session, "value", 'i', true);
    }

    @TearDown
    public void tearDown() throws Exception
    {
        session.close();
        session.unlink();
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public void lockPair()
    {
        lock.acquire();
        lock.release();
    }

    @Benchmark
    public void rlockPair()
    {
        rlock.acquire();
        rlock.release();
    }

    @Benchmark
    public void tryWithResourcesPair()
    {
        try (var held = lock.acquired())
        {
            // nothing: the pair's cost alone
        }
    }

    @Benchmark
    public long valueIncrementUnderItsLock()
    {
        try (var held = value.getLock().acquired())
        {
            value.set(value.get() + 1);
        }
        return value.get();
    }

    @Benchmark
    public long valueIncrementAndGet()
    {
        return value.incrementAndGet();
    }
}
