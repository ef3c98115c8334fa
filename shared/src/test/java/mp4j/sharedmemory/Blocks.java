package mp4j.sharedmemory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Unique block names for a test, removed at the end whatever happened. */
final class Blocks implements AutoCloseable
{
    private final List<String> names = new ArrayList<>();

    String name()
    {
        final String name = "psm_t" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        names.add(name);
        return name;
    }

    /** Also removes this block at the end (one made under a random name). */
    <T> T track(final String name, final T value)
    {
        names.add(name);
        return value;
    }

    @Override
    public void close() throws IOException
    {
        for (final String name : names)
        {
            Files.deleteIfExists(SharedMemoryNames.directory().resolve(name));
        }
    }

    static boolean exists(final String name)
    {
        return Files.exists(Path.of(SharedMemoryNames.directory().toString(), name));
    }
}
