package mp4j.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Whose a file in the shared folders is, and whether its mode lets other users in. mp4j makes its session files
 * and blocks {@code rw-------} (0600), as CPython makes its blocks, and uses, changes or removes only what belongs
 * to the user running it: another user's file may be that user's live work, and one with a wider mode may have
 * been changed by anyone.
 */
public final class FileOwner
{
    /** What mp4j and CPython create: read and write for the owner, nothing for anyone else. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static final long UNKNOWN = -1;
    private static volatile long currentUid = UNKNOWN - 1;

    private FileOwner()
    {
    }

    /**
     * The effective uid of this process (the owner of {@code /proc/self}), read once.
     *
     * @return the uid, or -1 where there is no /proc
     */
    public static long currentUid()
    {
        long uid = currentUid;
        if (uid == UNKNOWN - 1)
        {
            uid = uid(Path.of("/proc/self"), true);
            currentUid = uid;
        }
        return uid;
    }

    /**
     * True when this process runs as root, which can open and remove any user's file.
     *
     * @return whether the effective uid is 0
     */
    public static boolean isRoot()
    {
        return currentUid() == 0;
    }

    /**
     * True when {@code file} belongs to the user running this process; false when it is another user's, or gone.
     * Compared by uid where the system says it, else by name ({@code user.name}).
     *
     * @param file the file; a symbolic link is judged itself, not its target
     * @return whether it is this user's
     */
    public static boolean isCurrentUsers(final Path file)
    {
        final long self = currentUid();
        final long owner = uid(file, false);
        if (self != UNKNOWN && owner != UNKNOWN)
        {
            return self == owner;
        }
        final String name = name(file);
        return name != null && name.equals(System.getProperty("user.name"));
    }

    /**
     * The owner of a file, as {@code ls -l} shows it.
     *
     * @param file the file; a symbolic link is judged itself, not its target
     * @return the owner's user name (or uid where it has no name), or null when the file is gone or the file
     *         system has no owners
     */
    public static String name(final Path file)
    {
        try
        {
            return Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return null;
        }
    }

    /**
     * True when the mode gives more than {@code rw-------}: a group or other bit, or execute.
     *
     * @param mode a file's permissions
     * @return whether anything outside {@link #OWNER_ONLY} is set
     */
    public static boolean isWiderThanOwnerOnly(final Set<PosixFilePermission> mode)
    {
        return !OWNER_ONLY.containsAll(mode);
    }

    private static long uid(final Path file, final boolean followLinks)
    {
        try
        {
            final Object uid = followLinks ? Files.getAttribute(file, "unix:uid") :
                Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return uid instanceof Integer i ? Integer.toUnsignedLong(i) : UNKNOWN;
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException ex)
        {
            return UNKNOWN;
        }
    }
}
