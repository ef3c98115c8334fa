package mp4j.sharedmemory;

import org.agrona.concurrent.AtomicBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Large copies between Java memory and a block, at the speed of the memory rather than of page faults.
 * <p>
 * A fresh tmpfs page costs a page fault on first touch (allocate, zero, map: about 2 µs here, more than copying
 * its 4 KiB), so a single thread writing 1 GiB into a new block runs at a fraction of memory speed — CPython's
 * figure is the same. Two levers, measured on a 2-core machine (see the shm benchmarks):
 * <ul>
 * <li>writes: the caller copies through the mapping while one helper thread copies other chunks with
 * {@code pwrite(2)} through the block's file, which allocates pages without faulting them into this process;
 * the two share the pages' cost on two cores (1 GiB into a new block: 0.4–0.6 GB/s single-threaded through the
 * mapping, 2–2.5 GB/s this way, CPython 0.8–0.95);</li>
 * <li>reads: the caller and helpers each copy chunks through the mapping, so the (cheaper, fault-around) read
 * faults of a block first touched by this process run on all cores; {@link SharedMemory} hands large reads a
 * read-only mapping of the block, whose faults cost a fourth of a writable shared mapping's.</li>
 * </ul>
 * Chunks are claimed from a shared cursor, so a busy or slow helper never delays the copy: the caller takes
 * whatever is left. Copies below {@link #PARALLEL_THRESHOLD} bytes are plain {@code Unsafe.copyMemory} calls.
 */
final class BulkCopy
{
    static final int PARALLEL_THRESHOLD = 16 << 20;
    /** Claimed per turn; 1 MiB measured best (0.5–4 MiB within noise), and keeps the pwrite staging in cache. */
    static final int CHUNK = 1 << 20;
    private static final int SLICE = 1 << 20; // pwrite slices: the JDK stages heap bytes in a cached 1 MiB buffer
    private static final int HELPERS = Math.max(0, Math.min(3, Runtime.getRuntime().availableProcessors() - 1));
    private static volatile ExecutorService helpers;

    private BulkCopy()
    {
    }

    static boolean isParallel(final int length)
    {
        return length >= PARALLEL_THRESHOLD && HELPERS > 0;
    }

    /** Copies {@code src[srcOffset, +length)} to the block at {@code index}. */
    static void write(
        final AtomicBuffer block, final FileChannel channel, final int index, final byte[] src, final int srcOffset,
        final int length)
    {
        if (!isParallel(length))
        {
            block.putBytes(index, src, srcOffset, length);
            return;
        }
        final AtomicLong cursor = new AtomicLong();
        final CompletableFuture<?> helper = CompletableFuture.runAsync(() ->
        {
            long at;
            while ((at = cursor.getAndAdd(CHUNK)) < length)
            {
                final int n = (int)Math.min(CHUNK, length - at);
                pwrite(channel, ByteBuffer.wrap(src, srcOffset + (int)at, n), index + at);
            }
        }, helpers());
        long at;
        while ((at = cursor.getAndAdd(CHUNK)) < length)
        {
            final int n = (int)Math.min(CHUNK, length - at);
            block.putBytes(index + (int)at, src, srcOffset + (int)at, n);
        }
        join(helper);
    }

    /** Copies {@code length} bytes of the block at {@code index} to {@code dst[dstOffset, +length)}. */
    static void read(final AtomicBuffer block, final int index, final byte[] dst, final int dstOffset, final int length)
    {
        if (!isParallel(length))
        {
            block.getBytes(index, dst, dstOffset, length);
            return;
        }
        final AtomicLong cursor = new AtomicLong();
        final Runnable copy = () ->
        {
            long at;
            while ((at = cursor.getAndAdd(CHUNK)) < length)
            {
                final int n = (int)Math.min(CHUNK, length - at);
                block.getBytes(index + (int)at, dst, dstOffset + (int)at, n);
            }
        };
        final CompletableFuture<?>[] tasks = new CompletableFuture<?>[HELPERS];
        for (int i = 0; i < HELPERS; i++)
        {
            tasks[i] = CompletableFuture.runAsync(copy, helpers());
        }
        copy.run();
        for (final CompletableFuture<?> task : tasks)
        {
            join(task);
        }
    }

    private static void pwrite(final FileChannel channel, final ByteBuffer src, final long position)
    {
        try
        {
            long at = position;
            while (src.hasRemaining())
            {
                final ByteBuffer slice = src.slice();
                if (slice.remaining() > SLICE)
                {
                    slice.limit(SLICE);
                }
                final int n = channel.write(slice, at);
                src.position(src.position() + n);
                at += n;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write to shared memory: " + ex.getMessage(), ex);
        }
    }

    private static void join(final CompletableFuture<?> task)
    {
        try
        {
            task.join();
        }
        catch (final java.util.concurrent.CompletionException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            throw ex;
        }
    }

    private static ExecutorService helpers()
    {
        ExecutorService pool = helpers;
        if (pool == null)
        {
            synchronized (BulkCopy.class)
            {
                pool = helpers;
                if (pool == null)
                {
                    pool = Executors.newFixedThreadPool(HELPERS, r ->
                    {
                        final Thread thread = new Thread(r, "mp4j-shm-copy");
                        thread.setDaemon(true);
                        return thread;
                    });
                    helpers = pool;
                }
            }
        }
        return pool;
    }
}
