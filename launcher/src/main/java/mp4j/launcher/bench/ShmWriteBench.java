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
        return "SharedMemory 1 GiB write";
    }

    @Override
    public String target()
    {
        return ">= 2x python";
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
