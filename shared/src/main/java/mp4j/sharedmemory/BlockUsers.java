package mp4j.sharedmemory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which live processes map which files of the shared memory folder, read from {@code /proc/<pid>/maps} (the
 * processes of other users are not readable, so they do not show). One scan serves a whole {@code shm list}.
 */
public final class BlockUsers
{
    private final Map<String, TreeSet<Long>> pidsByPath = new HashMap<>();

    private BlockUsers()
    {
    }

    /** Scans every readable {@code /proc/<pid>/maps} once; empty where there is no /proc. */
    public static BlockUsers scan()
    {
        final BlockUsers users = new BlockUsers();
        final String prefix = SharedMemoryNames.directory().toString() + "/";
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*"))
        {
            for (final Path process : processes)
            {
                users.read(process, prefix);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // no /proc: nobody is known to use anything
        }
        return users;
    }

    private void read(final Path process, final String prefix)
    {
        final long pid;
        try
        {
            pid = Long.parseLong(process.getFileName().toString());
        }
        catch (final NumberFormatException ex)
        {
            return;
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(process.resolve("maps"));
        }
        catch (final IOException | RuntimeException ex)
        {
            return; // gone, or another user's
        }
        for (final String line : lines)
        {
            final int at = line.indexOf(prefix);
            if (at < 0)
            {
                continue;
            }
            String path = line.substring(at);
            if (path.endsWith(" (deleted)"))
            {
                path = path.substring(0, path.length() - " (deleted)".length());
            }
            pidsByPath.computeIfAbsent(path, p -> new TreeSet<>()).add(pid);
        }
    }

    /** Pids of live processes mapping {@code path}, ascending. */
    public List<Long> pids(final Path path)
    {
        final TreeSet<Long> pids = pidsByPath.get(path.toString());
        return pids == null ? List.of() : new ArrayList<>(pids);
    }

    /** The command name of {@code pid} ({@code /proc/<pid>/comm}), or "?". */
    public static String command(final long pid)
    {
        try
        {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "?";
        }
    }
}
