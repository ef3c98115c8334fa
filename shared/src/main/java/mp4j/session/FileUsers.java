package mp4j.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which live processes map or hold open which files of some folders, read once from {@code /proc/<pid>/maps}
 * (mappings, also after the process closed the file) and {@code /proc/<pid>/fd} (open files). A sweep asks it
 * before removing anything: a file that any live process still uses is never stale, whatever its session says.
 * <p>
 * Files are matched by device and inode, not by name, so a file removed and made again under the same name is
 * not taken for the old one. Root sees every process; another user sees only its own processes (the kernel hides
 * the rest), which is enough for files of mode 0600: no other user's process can have opened them, except
 * root's. Where there is no {@code /proc}, nobody is known to use anything.
 */
public final class FileUsers
{
    private final Map<FileKey, TreeSet<Long>> pidsByFile = new HashMap<>();
    private final List<String> prefixes = new ArrayList<>();

    private record FileKey(long major, long minor, long inode)
    {
    }

    private FileUsers(final List<Path> directories)
    {
        for (final Path directory : directories)
        {
            prefixes.add(directory.toAbsolutePath().normalize() + "/");
            try
            {
                final String real = directory.toRealPath() + "/";
                if (!prefixes.contains(real))
                {
                    prefixes.add(real);
                }
            }
            catch (final IOException ex)
            {
                // no such folder: its absolute name is all there is
            }
        }
    }

    /**
     * Scans every readable process once for files in {@code directories}.
     *
     * @param directories the folders whose files count, such as {@code /dev/shm}; files in their subfolders do not
     * @return what was seen, a snapshot; empty where there is no {@code /proc}
     */
    public static FileUsers scan(final Path... directories)
    {
        final FileUsers users = new FileUsers(List.of(directories));
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*"))
        {
            for (final Path process : processes)
            {
                users.readProcess(process);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // no /proc
        }
        return users;
    }

    private void readProcess(final Path process)
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
        readMaps(process, pid);
        readFds(process, pid);
    }

    private void readMaps(final Path process, final long pid)
    {
        final String maps;
        try
        {
            // Latin-1: every byte is one char, nothing to decode; only the lines naming our folders are parsed
            maps = new String(Files.readAllBytes(process.resolve("maps")), StandardCharsets.ISO_8859_1);
        }
        catch (final IOException | RuntimeException ex)
        {
            return; // gone, or another user's
        }
        for (final String prefix : prefixes)
        {
            for (int at = maps.indexOf(prefix); at >= 0; at = maps.indexOf(prefix, at + 1))
            {
                final int start = maps.lastIndexOf('\n', at) + 1;
                final int end = maps.indexOf('\n', at);
                readMapsLine(maps.substring(start, end < 0 ? maps.length() : end), pid);
                if (end < 0)
                {
                    break;
                }
                at = end;
            }
        }
    }

    /** "start-end perms offset major:minor inode   path": see proc(5). */
    private void readMapsLine(final String line, final long pid)
    {
        final String[] fields = line.trim().split("\\s+", 6);
        if (fields.length < 6)
        {
            return;
        }
        final int colon = fields[3].indexOf(':');
        try
        {
            final long inode = Long.parseLong(fields[4]);
            if (colon > 0 && inode != 0)
            {
                add(new FileKey(Long.parseLong(fields[3].substring(0, colon), 16),
                    Long.parseLong(fields[3].substring(colon + 1), 16), inode), pid);
            }
        }
        catch (final NumberFormatException ex)
        {
            // not a line of the documented form
        }
    }

    private void readFds(final Path process, final long pid)
    {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd")))
        {
            for (final Path fd : fds)
            {
                try
                {
                    if (inPrefixes(Files.readSymbolicLink(fd).toString()))
                    {
                        final FileKey key = key(fd, true); // stat through the link: the open file itself
                        if (key != null)
                        {
                            add(key, pid);
                        }
                    }
                }
                catch (final IOException | RuntimeException ex)
                {
                    // closed meanwhile, or not ours to read
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // gone, or another user's
        }
    }

    private boolean inPrefixes(final String text)
    {
        for (final String prefix : prefixes)
        {
            if (text.contains(prefix))
            {
                return true;
            }
        }
        return false;
    }

    private void add(final FileKey key, final long pid)
    {
        pidsByFile.computeIfAbsent(key, k -> new TreeSet<>()).add(pid);
    }

    /**
     * Pids of the live processes that map or hold open {@code file} (as it is now).
     *
     * @param file a file in one of the scanned folders
     * @return the pids, ascending, of processes seen by the scan and still alive; empty when the file is gone
     */
    public List<Long> pids(final Path file)
    {
        final FileKey key;
        try
        {
            key = key(file, false);
        }
        catch (final IOException | RuntimeException ex)
        {
            return List.of();
        }
        final TreeSet<Long> pids = key == null ? null : pidsByFile.get(key);
        if (pids == null)
        {
            return List.of();
        }
        final List<Long> live = new ArrayList<>();
        for (final long pid : pids)
        {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                live.add(pid);
            }
        }
        return live;
    }

    /**
     * Names processes for a message: "pid 123 (java), pid 456 (python3)".
     *
     * @param pids the processes, in the order to name them
     * @return the text, with each command name escaped ({@link Printable}); empty for no pids
     */
    public static String describe(final List<Long> pids)
    {
        final StringBuilder text = new StringBuilder();
        for (final long pid : pids)
        {
            text.append(text.length() == 0 ? "" : ", ").append("pid ").append(pid).append(" (")
                .append(Printable.escape(command(pid))).append(')');
        }
        return text.toString();
    }

    /**
     * The command name of {@code pid}.
     *
     * @param pid any process id
     * @return {@code /proc/<pid>/comm}, which its process may set to anything (escape it before printing), or "?"
     *         when it cannot be read
     */
    public static String command(final long pid)
    {
        try
        {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "?";
        }
    }

    /** Device (as major and minor, the form of /proc/pid/maps) and inode of a file; null where unknown. */
    private static FileKey key(final Path file, final boolean followLink) throws IOException
    {
        final Map<String, Object> attributes = followLink ? Files.readAttributes(file, "unix:dev,ino") :
            Files.readAttributes(file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        if (!(attributes.get("dev") instanceof Long dev) || !(attributes.get("ino") instanceof Long inode))
        {
            return null;
        }
        // glibc's gnu_dev_major and gnu_dev_minor
        final long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
        final long minor = (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
        return new FileKey(major, minor, inode);
    }
}
