package mp4j.sharedmemory;

import mp4j.session.Printable;
import mp4j.session.SessionFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where shared memory blocks live and what they may be called: {@code /dev/shm/<name>}, exactly where glibc's
 * {@code shm_open} (and so CPython's {@code multiprocessing.shared_memory}) puts them.
 * <p>
 * A name is checked before any file is touched, so that it can only ever name a file directly inside the
 * shared memory folder and print as what it is: no {@code '/'}, no {@code ".."}, no control character, not
 * {@code mp4j-...} (the session files'), not empty, at most {@link #NAME_MAX} bytes of UTF-8 (Linux's NAME_MAX;
 * glibc and the kernel refuse longer ones). See {@link #problem}.
 * {@code -Dmp4j.shm.dir=...} overrides the folder (tests; systems without {@code /dev/shm}, where Python cannot
 * share the block, but Java processes still can).
 */
public final class SharedMemoryNames
{
    /** Linux's NAME_MAX for a file in /dev/shm (tmpfs), in bytes. */
    public static final int NAME_MAX = 255;
    /** CPython's prefix for generated names ({@code _SHM_NAME_PREFIX} without its leading slash). */
    public static final String RANDOM_PREFIX = "psm_";

    private SharedMemoryNames()
    {
    }

    /**
     * The folder blocks live in.
     *
     * @return {@code -Dmp4j.shm.dir} when set, else {@code /dev/shm} (where it is a folder), else
     *         {@code java.io.tmpdir}.
     */
    public static Path directory()
    {
        final String override = System.getProperty("mp4j.shm.dir");
        if (override != null && !override.isEmpty())
        {
            return Path.of(override);
        }
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Checks {@code name} and returns the file it names.
     *
     * @param name a block's name.
     * @return the block's file in {@link #directory()}.
     * @throws IllegalArgumentException naming what is wrong with the name.
     */
    public static Path path(final String name)
    {
        validate(name);
        return directory().resolve(name);
    }

    /**
     * Checks {@code name}; touches no file.
     *
     * @param name a block's name.
     * @throws IllegalArgumentException saying why {@code name} is not a block name.
     */
    public static void validate(final String name)
    {
        final String problem = problem(name);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Why {@code name} cannot name a block, or null when it can. The one rule of {@link SharedMemory#create},
     * {@link SharedMemory#attach}, {@link SharedMemory#unlink} and {@code launcher shm}: a single file name
     * directly in the folder (no {@code '/'}, not {@code "."} or {@code ".."}), no control character (NUL,
     * newline, ESC, ...: they would forge lines and terminal escapes wherever the name is shown), not a name of
     * mp4j's own session files ({@code mp4j-...}), at most {@link #NAME_MAX} bytes of UTF-8.
     *
     * @param name a block's name, or null.
     * @return the reason, or null when the name is good.
     */
    public static String problem(final String name)
    {
        if (name == null)
        {
            return "a shared memory name is required (null given); pass none to SharedMemory.create(size) " +
                "for a random one";
        }
        if (name.isEmpty())
        {
            return "a shared memory name cannot be empty";
        }
        for (int i = 0; i < name.length(); i++)
        {
            if (Printable.needsEscape(name.charAt(i)))
            {
                return "shared memory name '" + Printable.escape(name) + "' contains a control character (" +
                    Printable.escape(name.substring(i, i + 1)) + " at index " + i + "); names are printable text";
            }
        }
        if (name.indexOf('/') >= 0)
        {
            return "shared memory name '" + name + "' contains '/'; a name is a single file name in " + directory() +
                " (write 'psm_abc', not '/psm_abc')";
        }
        if (name.equals(".") || name.equals(".."))
        {
            return "shared memory name '" + name + "' is a folder, not a file name";
        }
        if (name.contains(".."))
        {
            return "shared memory name '" + name + "' contains '..'; names may not refer to other folders";
        }
        if (name.startsWith(SessionFiles.PREFIX))
        {
            return "shared memory name '" + name + "' starts with '" + SessionFiles.PREFIX + "', which is " +
                "reserved for mp4j's session files ('launcher inspect' shows a session, 'launcher clean' removes " +
                "stale ones); pick another name";
        }
        final int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > NAME_MAX)
        {
            return "shared memory name is " + bytes + " bytes long; the limit is " + NAME_MAX +
                " bytes of UTF-8 (NAME_MAX)";
        }
        return null;
    }

    /**
     * A fresh random name as CPython makes them.
     *
     * @return {@code psm_} and 8 hex digits; not checked against existing blocks (create does that).
     */
    public static String random()
    {
        return RANDOM_PREFIX + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }
}
