package mp4j.launcher.bench;

/** shm_write_GBps: one process creates a block and writes 1 GiB into it (256 MiB with --quick), GB/s. */
public final class ShmWriteBench implements BenchFigure
{
    @Override
    public String key()
    {
        return "shm_write_GBps";
    }

    @Override
    public String description()
    {
        return "create a SharedMemory block and write 1 GiB into it in 64 MiB chunks, GB/s (median of 3)";
    }

    @Override
    public boolean higherIsBetter()
    {
        return true;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        return ShmRoundTrip.measure(quick).writeGBps();
    }
}
