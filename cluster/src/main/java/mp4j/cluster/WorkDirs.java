package mp4j.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A node's work folder: {@code <temp>/mp4j-ignite-<pid>-<random>} (or {@code mp4j-ignite-<pid>-...} inside a folder
 * the user gave), removed when the node ends normally; folders of killed nodes (their pid gone) are removed by the
 * next node that starts on the machine.
 */
final class WorkDirs
{
    static final String PREFIX = "mp4j-ignite-";

    private WorkDirs()
    {
    }

    static Path create(final Path parent)
    {
        final Path base = parent != null ? parent : Path.of(System.getProperty("java.io.tmpdir"));
        try
        {
            Files.createDirectories(base);
            sweepStale(base);
            return Files.createTempDirectory(base, PREFIX + ProcessHandle.current().pid() + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make a work folder for the Ignite node in " + base + ": " + ex, ex);
        }
    }

    /** Removes the folders in {@code base} whose process has ended. */
    static void sweepStale(final Path base)
    {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, PREFIX + "*"))
        {
            for (final Path dir : dirs)
            {
                final String rest = dir.getFileName().toString().substring(PREFIX.length());
                final int dash = rest.indexOf('-');
                if (dash <= 0)
                {
                    continue;
                }
                try
                {
                    final long pid = Long.parseLong(rest.substring(0, dash));
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    {
                        continue;
                    }
                }
                catch (final NumberFormatException ex)
                {
                    continue;
                }
                deleteQuietly(dir);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // best effort: a folder we cannot read or remove is another user's or in use
        }
    }

    static void deleteQuietly(final Path dir)
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // a file still being written by a node stopping in another thread; the next sweep gets it
        }
    }
}
