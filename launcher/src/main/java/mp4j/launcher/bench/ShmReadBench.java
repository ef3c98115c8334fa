package mp4j.launcher.bench;

/** shm_read_GBps: another process attaches to the 1 GiB block and reads it all (256 MiB with --quick), GB/s. */
public final class ShmReadBench implements BenchFigure
{
    @Override
    public String key()
    {
        return "shm_read_GBps";
    }

    @Override
    public String description()
    {
        return "SharedMemory 1 GiB read, another process";
    }

    @Override
    public String target()
    {
        return ">= 80% of memcpy";
    }

    @Override
    public boolean higherIsBetter()
    {
        return true;
    }

    private final java.util.Map<String, Object> extras = new java.util.LinkedHashMap<>();

    @Override
    public double measure(final boolean quick) throws Exception
    {
        final double read = ShmRoundTrip.measure(quick).readGBps();
        final double memcpy = memcpyGBps(quick ? 256L << 20 : 1L << 30);
        extras.put("memcpy_GBps", memcpy);
        extras.put("share_of_memcpy", read / memcpy);
        return read;
    }

    @Override
    public java.util.Map<String, Object> extras()
    {
        return extras;
    }

    /**
     * The target's yardstick: copying the same bytes from memory this process already has mapped (a direct buffer,
     * touched) into the same 64 MiB array, in one process. Median of 3.
     */
    static double memcpyGBps(final long size)
    {
        final int chunk = ShmRoundTrip.CHUNK;
        final int buffers = (int)((size + chunk - 1) / chunk);
        final org.agrona.concurrent.UnsafeBuffer[] source = new org.agrona.concurrent.UnsafeBuffer[buffers];
        for (int i = 0; i < buffers; i++)
        {
            source[i] = new org.agrona.concurrent.UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(chunk));
            source[i].setMemory(0, chunk, (byte)i);
        }
        final byte[] target = new byte[chunk];
        final double[] runs = new double[3];
        for (int run = 0; run < runs.length; run++)
        {
            final long start = System.nanoTime();
            for (final org.agrona.concurrent.UnsafeBuffer buffer : source)
            {
                buffer.getBytes(0, target);
            }
            runs[run] = (double)buffers * chunk / ((System.nanoTime() - start) / 1e9) / 1e9;
        }
        java.util.Arrays.sort(runs);
        return runs[1];
    }
}
