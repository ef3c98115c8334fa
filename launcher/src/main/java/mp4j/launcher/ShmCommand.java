package mp4j.launcher;

import mp4j.session.Printable;
import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code launcher shm}: the shared memory blocks in /dev/shm, ours and Python's, as {@code ipcs} would show them;
 * one class per subcommand ({@link ShmCreateCommand}, {@link ShmListCommand}, {@link ShmDumpCommand},
 * {@link ShmUnlinkCommand}), the reading of blocks in {@code mp4j.sharedmemory.SharedMemoryBlocks}. Here: what
 * the subcommands share, the checks of their arguments.
 */
@Command(name = "shm",
    header = "Shared memory blocks in /dev/shm: create, list, dump, unlink.", mixinStandardHelpOptions = true,
    description = {"Shared memory blocks in /dev/shm (mp4j's and CPython's multiprocessing.shared_memory):",
        "create, list, dump (hex, and as a ShareableList when it is one), unlink."},
    subcommands = {ShmCreateCommand.class, ShmListCommand.class, ShmDumpCommand.class, ShmUnlinkCommand.class})
final class ShmCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "missing subcommand: create, list, dump or unlink (try 'launcher shm --help')");
    }

    /** {@code name}, when it can name a block; else a usage error of the command {@code spec} describes. */
    static String checkedName(final CommandLine.Model.CommandSpec spec, final String name)
    {
        final String problem = SharedMemoryNames.problem(name);
        if (problem != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
        return name;
    }

    /** Bytes, from "4096", "64K", "16M" or "1G" (binary); else a usage error of the command {@code spec} describes. */
    static long parseSize(final CommandLine.Model.CommandSpec spec, final String text)
    {
        final String t = text.trim().toUpperCase(Locale.ROOT);
        int end = 0;
        while (end < t.length() && Character.isDigit(t.charAt(end)))
        {
            end++;
        }
        final String unit = t.substring(end);
        final long multiplier = switch (unit)
        {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> 1L << 10;
            case "M", "MB", "MIB" -> 1L << 20;
            case "G", "GB", "GIB" -> 1L << 30;
            default -> -1L;
        };
        if (end == 0 || multiplier < 0 || end > 18)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "SIZE '" + text + "' is not a size: " +
                "give bytes, or a number with K, M or G (binary: 1K = 1024)");
        }
        final long value = Long.parseLong(t.substring(0, end));
        if (value == 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "SIZE must be a positive number " +
                "different from zero, got '" + text + "'");
        }
        if (value > SharedMemory.MAX_SIZE / multiplier)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "SIZE '" + text + "' is over the " +
                SharedMemory.MAX_SIZE + " bytes (2 GiB - 1) a block can have");
        }
        return value * multiplier;
    }

    /** "permission denied", the block's owner and mode, and what to do about it. */
    static UserException permissionDenied(final String name, final Path file, final String action)
    {
        String owner = "?";
        String mode = "?";
        try
        {
            final PosixFileAttributes attributes =
                Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            owner = Printable.escape(attributes.owner().getName());
            mode = PosixFilePermissions.toString(attributes.permissions());
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            // the owner stays unknown: the message is still true
        }
        return new UserException("cannot " + action + " shared memory block '" + name + "' (" + file + ", owner " +
            owner + ", mode " + mode + "): permission denied for " + Printable.escape(System.getProperty("user.name")) +
            "; run the command as " + owner + " (or root), or have " + owner + " share it (chmod g+r or o+r " + file +
            ") if that is intended");
    }

    /** The processes that use a block ({@code SharedMemoryBlocks.describe}'s usedBy) as "pid command, ...". */
    @SuppressWarnings("unchecked")
    static String usersText(final Map<String, Object> block)
    {
        final List<Map<String, Object>> users = (List<Map<String, Object>>)block.get("usedBy");
        if (users.isEmpty())
        {
            return "-";
        }
        final List<String> parts = new ArrayList<>();
        for (final Map<String, Object> user : users)
        {
            parts.add(user.get("pid") + " " + text(user.get("command")));
        }
        return String.join(", ", parts);
    }

    /** Any user may name a file in /dev/shm, so names are shown escaped, never raw. */
    static String text(final Object value)
    {
        return Printable.escape(String.valueOf(value));
    }
}
