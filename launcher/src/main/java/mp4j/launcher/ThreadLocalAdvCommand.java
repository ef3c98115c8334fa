package mp4j.launcher;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;

/**
 * The lecture's {@code mt_thrd_local_adv.py}, which kept a {@code ctypes.c_int} in the thread-local to avoid a
 * new Python int object per increment. The Java twin counts through a ThreadLocal three ways: a boxed
 * {@code Long} (a new object per increment past the small-value cache), a primitive {@code long[1]} updated in
 * place, and an 8-byte off-heap buffer (the ctypes analogue); it measures time and bytes allocated per increment.
 */
@Command(name = "thread-local-adv",
    header = "mt_thrd_local_adv.py: thread-local counters, boxed vs primitive vs off-heap.", mixinStandardHelpOptions = true,
    description = {
        "mt_thrd_local_adv.py: N threads count in a ThreadLocal, boxed Long vs primitive long[1] vs off-heap",
        "8 bytes (the ctypes integer of the Python file); prints ns and bytes allocated per increment."})
final class ThreadLocalAdvCommand implements Callable<Integer>
{
    /** How each variant keeps its counter; the ThreadLocal is looked up on every increment in all three. */
    enum Variant
    {
        BOXED("boxed Long"),
        PRIMITIVE("primitive long[1]"),
        OFF_HEAP("off-heap 8 bytes");

        final String label;

        Variant(final String label)
        {
            this.label = label;
        }
    }

    private static final ThreadLocal<Long> BOXED = ThreadLocal.withInitial(() -> 0L);
    private static final ThreadLocal<long[]> PRIMITIVE = ThreadLocal.withInitial(() -> new long[1]);
    private static final ThreadLocal<UnsafeBuffer> OFF_HEAP =
        ThreadLocal.withInitial(() -> new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64)));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "N", defaultValue = "2", description = "Threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--iterations", defaultValue = "10000000", paramLabel = "I",
        description = "Increments per thread and variant (default ${DEFAULT-VALUE}).")
    long iterations;

    @Option(names = "--json", description = "One JSON object with the figures.")
    boolean json;

    /** One variant's run. */
    record Result(Variant variant, double seconds, double nsPerIncrement, double bytesPerIncrement, boolean correct)
    {
    }

    @Override
    public Integer call() throws Exception
    {
        if (threads < 1 || threads > ThreadLocalCommand.MAX_THREADS)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "N must be between 1 and " + ThreadLocalCommand.MAX_THREADS + ", got " + threads);
        }
        if (iterations < 1 || iterations > 10_000_000_000L)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--iterations must be between 1 and 10000000000, got " + iterations);
        }
        // a short run of each first, so the measured runs are compiled code, not the interpreter
        for (final Variant variant : Variant.values())
        {
            run(variant, Math.max(1, Math.min(iterations / 10, 1_000_000)));
        }
        final List<Result> results = new ArrayList<>();
        for (final Variant variant : Variant.values())
        {
            results.add(run(variant, iterations));
        }
        final Result boxed = results.get(0);
        if (json)
        {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("threads", threads);
            out.put("iterations", iterations);
            final List<Object> list = new ArrayList<>();
            for (final Result result : results)
            {
                final Map<String, Object> one = new LinkedHashMap<>();
                one.put("variant", result.variant().name().toLowerCase(java.util.Locale.ROOT));
                one.put("seconds", result.seconds());
                one.put("nsPerIncrement", result.nsPerIncrement());
                one.put("bytesPerIncrement", result.bytesPerIncrement());
                one.put("speedupOverBoxed", boxed.seconds() / result.seconds());
                one.put("correct", result.correct());
                list.add(one);
            }
            out.put("variants", list);
            spec.commandLine().getOut().println(Json.write(out));
            return 0;
        }
        final var out = spec.commandLine().getOut();
        out.printf("%d threads, %,d increments each of a counter kept in a ThreadLocal:%n", threads, iterations);
        for (final Result result : results)
        {
            out.printf("  %-18s %7.3f s  %6.2f ns/increment/thread  %5.1f bytes allocated/increment  %5.2fx boxed's speed%s%n",
                result.variant().label, result.seconds(), result.nsPerIncrement(),
                result.bytesPerIncrement(), boxed.seconds() / result.seconds(),
                result.correct() ? "" : "  WRONG COUNT");
        }
        out.printf("The boxed counter makes a new Long per increment (as Python makes a new int); the primitive and " +
            "off-heap ones update 8 bytes in place, as the ctypes integer did.%n");
        out.flush();
        return results.stream().allMatch(Result::correct) ? 0 : 1;
    }

    private Result run(final Variant variant, final long count) throws Exception
    {
        final CyclicBarrier start = new CyclicBarrier(threads + 1);
        final long[] finals = new long[threads];
        final long[] allocated = new long[threads];
        final Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            final int id = i;
            workers[i] = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final Exception ex)
                {
                    return;
                }
                final long before = allocatedBytes();
                finals[id] = count(variant, count);
                allocated[id] = allocatedBytes() - before;
            }, "counter-" + i);
            workers[i].start();
        }
        start.await();
        final long began = System.nanoTime();
        for (final Thread worker : workers)
        {
            worker.join();
        }
        final long nanos = System.nanoTime() - began;
        boolean correct = true;
        long bytes = 0;
        for (int i = 0; i < threads; i++)
        {
            correct &= finals[i] == count;
            bytes += Math.max(0, allocated[i]);
        }
        final double increments = (double)count * threads;
        return new Result(variant, nanos / 1e9, (double)nanos / count, bytes / increments, correct);
    }

    /** Counts from zero in a fresh counter; every increment goes through the ThreadLocal, as in the Python file. */
    private static long count(final Variant variant, final long count)
    {
        switch (variant)
        {
            case BOXED ->
            {
                BOXED.set(0L);
                for (long i = 0; i < count; i++)
                {
                    BOXED.set(BOXED.get() + 1);
                }
                return BOXED.get();
            }
            case PRIMITIVE ->
            {
                PRIMITIVE.get()[0] = 0;
                for (long i = 0; i < count; i++)
                {
                    PRIMITIVE.get()[0]++;
                }
                return PRIMITIVE.get()[0];
            }
            case OFF_HEAP ->
            {
                OFF_HEAP.get().putLong(0, 0);
                for (long i = 0; i < count; i++)
                {
                    final UnsafeBuffer counter = OFF_HEAP.get();
                    counter.putLong(0, counter.getLong(0) + 1);
                }
                return OFF_HEAP.get().getLong(0);
            }
            default -> throw new IllegalStateException("unknown variant " + variant);
        }
    }

    /** Bytes this thread has allocated so far, or 0 where the JVM cannot tell. */
    private static long allocatedBytes()
    {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean &&
            bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled())
        {
            return bean.getCurrentThreadAllocatedBytes();
        }
        return 0;
    }
}
