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
    /** How every session file's name begins; its side files' names begin so too. */
    public static final String PREFIX = "mp4j-";
    private static final Pattern SESSION_NAME = Pattern.compile("mp4j-[0-9]+-[0-9a-f]{8}");

    private SessionFiles()
    {
    }

    /**
     * The folder of session files: {@code -Dmp4j.dir} when set, else {@code /dev/shm} when it is a writable folder,
     * else {@code java.io.tmpdir}.
     *
     * @return the folder; it is not created
     */
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

    /**
     * A file that belongs to a session and goes with it: {@code <session file>.<tag>} in the same folder (a
     * queue's spill segment, say). The session's last process removes them with its file
     * ({@link Session#unlink()}), and so does a sweep of a stale session ({@link #deleteSideFiles}).
     *
     * @param sessionFile the session file
     * @param tag         lower-case letters, digits and dashes only, not empty.
     * @return {@code <session file>.<tag>}, beside the session file
     * @throws IllegalArgumentException when {@code tag} is empty or has another character
     */
    public static Path sideFile(final Path sessionFile, final String tag)
    {
        if (tag.isEmpty() || !tag.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'))
        {
            throw new IllegalArgumentException("a side file's tag is letters, digits and dashes, got '" + tag + "'");
        }
        return sessionFile.resolveSibling(sessionFile.getFileName() + "." + tag);
    }

    /**
     * Removes the side files of a session (see {@link #sideFile}), skipping those it cannot remove.
     *
     * @param sessionFile the session file, which stays
     * @return the names of those removed, possibly none
     */
    public static List<String> deleteSideFiles(final Path sessionFile)
    {
        final List<String> removed = new ArrayList<>();
        final Path folder = sessionFile.toAbsolutePath().getParent();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, sessionFile.getFileName() + ".*"))
        {
            for (final Path file : stream)
            {
                try
                {
                    if (Files.deleteIfExists(file))
                    {
                        removed.add(file.getFileName().toString());
                    }
                }
                catch (final IOException ex)
                {
                    // not ours to remove (another user's, planted), or gone already
                }
            }
        }
        catch (final IOException ex)
        {
            // the folder cannot be read: nothing we could remove either
        }
        return removed;
    }

    /**
     * Whether a file name is a session file's: {@code mp4j-<pid>-<8 lower-case hex digits>}.
     *
     * @param fileName a file name, without folder
     * @return whether it has that form exactly (a side file's name has not)
     */
    public static boolean isSessionName(final String fileName)
    {
        return SESSION_NAME.matcher(fileName).matches();
    }

    /**
     * Session files in {@link #directory()}, newest first.
     *
     * @return regular files named like sessions, by last modification; links and side files are left out
     * @throws SessionFileException when the folder cannot be read
     */
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
     *
     * @param nameOrPath a path (anything with a '/'), or a session name such as {@code mp4j-123-0a1b2c3d}
     * @return the path; whether the file exists is not checked
     * @throws SessionFileException when a bare name is not a session name
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
