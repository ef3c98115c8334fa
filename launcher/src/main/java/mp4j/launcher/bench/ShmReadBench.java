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
        return "another process attaches to the 1 GiB block and reads it in 64 MiB chunks, GB/s (median of 3)";
    }

    @Override
    public boolean higherIsBetter()
    {
        return true;
    }

    @Override
    public double measure(final boolean quick) throws Exception
    {
        return ShmRoundTrip.measure(quick).readGBps();
    }
}
