package mp4j.session;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where session files live and what they are called: {@code /dev/shm/mp4j-<pid>-<random>} on Linux (tmpfs, so
 * the pages are shared memory), {@code java.io.tmpdir} elsewhere. {@code -Dmp4j.dir=...} overrides the folder.
 */
public final class SessionFiles
{
    public static final String PREFIX = "mp4j-";
    private static final Pattern SESSION_NAME = Pattern.compile("mp4j-[0-9]+-[0-9a-f]{8}");

    private SessionFiles()
    {
    }

    public static Path directory()
    {
        final String override = System.getProperty("mp4j.dir");
        if (override != null && !override.isEmpty())
        {
            return Path.of(override);
        }
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    public static boolean isSessionName(final String fileName)
    {
        return SESSION_NAME.matcher(fileName).matches();
    }

    /** Session files in {@link #directory()}, newest first. */
    public static List<Path> list()
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory(), PREFIX + "*"))
        {
            for (final Path file : stream)
            {
                if (isSessionName(file.getFileName().toString()) &&
                    Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                {
                    files.add(file);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new SessionFileException("cannot list session files in " + directory() + ": " + ex.getMessage(), ex);
        }
        files.sort((a, b) -> Long.compare(lastModified(b), lastModified(a)));
        return files;
    }

    private static long lastModified(final Path file)
    {
        try
        {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    /**
     * Resolves what a user typed: a path, or a bare session name looked up in {@link #directory()}. A bare
     * name must look like a session name, so that it can never walk out of the directory.
     */
    public static Path resolve(final String nameOrPath)
    {
        if (nameOrPath.indexOf('/') >= 0)
        {
            return Path.of(nameOrPath);
        }
        if (!isSessionName(nameOrPath))
        {
            throw new SessionFileException("'" + nameOrPath + "' is not a session name (mp4j-<pid>-<8 hex digits>)" +
                " nor a path; give the session file's path, or run 'launcher inspect' for the newest session");
        }
        return directory().resolve(nameOrPath);
    }
}
