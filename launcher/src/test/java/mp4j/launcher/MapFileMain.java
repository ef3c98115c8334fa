package mp4j.launcher;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A main program for the sweep tests: maps a file read-only and closes it, so that only the mapping holds it (as
 * a worker holds its session), prints "mapped" and waits to be killed.
 */
public final class MapFileMain
{
    /** Kept reachable: a collected buffer would be unmapped. */
    private static MappedByteBuffer mapped;

    private MapFileMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ))
        {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        System.out.println("mapped " + mapped.get(0));
        System.out.flush();
        Thread.sleep(120_000); // killed by the test long before
    }
}
