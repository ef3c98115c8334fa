package mp4j.launcher;

import mp4j.session.DirectoryEntry;
import mp4j.session.FileUsers;
import mp4j.session.ObjectKind;
import mp4j.session.Printable;
import mp4j.session.Session;
import mp4j.session.SessionFileException;
import mp4j.session.SessionFiles;
import mp4j.sharedmemory.PythonRepr;
import mp4j.sharedmemory.ShareableList;
import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryException;
import mp4j.sharedmemory.SharedMemoryNames;
import mp4j.sharedmemory.SharedMemoryRecords;
import org.agrona.PrintBufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code launcher shm}: the shared memory blocks in /dev/shm, ours and Python's, as {@code ipcs} would show them.
 * Blocks are read with plain reads, never mapped, so a truncated or foreign file cannot fault the CLI.
 */
@Command(name = "shm",
    header = "Shared memory blocks in /dev/shm: create, list, dump, unlink.", mixinStandardHelpOptions = true,
    description = {"Shared memory blocks in /dev/shm (mp4j's and CPython's multiprocessing.shared_memory):",
        "create, list, dump (hex, and as a ShareableList when it is one), unlink."},
    subcommands = {ShmCommand.Create.class, ShmCommand.ListBlocks.class, ShmCommand.Dump.class,
        ShmCommand.Unlink.class})
final class ShmCommand implements Runnable
{
    /** Blocks larger than this are shown in hex only; decoding one as a ShareableList would copy all of it. */
    static final int DECODE_LIMIT = 256 << 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "missing subcommand: create, list, dump or unlink (try 'launcher shm --help')");
    }

    static String checkedName(final CommandLine.Model.CommandSpec spec, final String name)
    {
        final String problem = SharedMemoryNames.problem(name);
        if (problem != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
        return name;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Creates block NAME of SIZE bytes (zeros, mode 0600). It stays until 'shm unlink NAME';",
            "Python attaches with SharedMemory(name=\"NAME\")."})
    static final class Create implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Block name: a file name in /dev/shm.")
        String name;

        @Parameters(index = "1", paramLabel = "SIZE",
            description = "Bytes, optionally with a binary suffix: 4096, 64K, 16M, 1G (K = 1024).")
        String size;

        @Override
        public Integer call()
        {
            checkedName(spec, name);
            final long bytes = parseSize(spec, size);
            try (SharedMemory shm = SharedMemory.create(name, bytes))
            {
                spec.commandLine().getOut().println("created " + shm.path() + " (" + shm.size() +
                    " bytes, mode 0600); remove it with 'launcher shm unlink " + name + "'");
            }
            catch (final SharedMemoryException ex)
            {
                throw new UserException(ex.getMessage());
            }
            return 0;
        }
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

    @Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Lists the blocks in /dev/shm (not mp4j session files): size, owner, mode, what they hold,",
            "the mp4j session that records them, and which live processes map them (from /proc/*/maps)."})
    static final class ListBlocks implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print a JSON array of blocks.")
        boolean json;

        @Override
        public Integer call() throws IOException
        {
            final List<Map<String, Object>> blocks = new ArrayList<>();
            final FileUsers users = FileUsers.scan(SharedMemoryNames.directory());
            final Map<String, String> recorded = recordedBlocks();
            final Path directory = SharedMemoryNames.directory();
            final List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory))
            {
                for (final Path file : stream)
                {
                    final String fileName = file.getFileName().toString();
                    if (!SessionFiles.isSessionName(fileName) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    {
                        files.add(file);
                    }
                }
            }
            files.sort(null);
            for (final Path file : files)
            {
                try
                {
                    blocks.add(describe(file, users, recorded.get(file.getFileName().toString())));
                }
                catch (final NoSuchFileException ex)
                {
                    // unlinked while we listed
                }
            }
            final PrintWriter out = spec.commandLine().getOut();
            if (json)
            {
                out.println(Json.write(blocks));
                return 0;
            }
            if (blocks.isEmpty())
            {
                out.println("no shared memory blocks in " + directory);
                return 0;
            }
            out.printf("%-24s %12s %-10s %-10s %-22s %-28s %s%n", "NAME", "SIZE", "OWNER", "MODE", "HOLDS",
                "RECORDED BY", "USED BY (pid command)");
            for (final Map<String, Object> block : blocks)
            {
                // any user may name a file in /dev/shm, so names are shown escaped, never raw
                out.printf("%-24s %12d %-10s %-10s %-22s %-28s %s%n", text(block.get("name")),
                    (Long)block.get("size"), text(block.get("owner")), block.get("mode"), text(block.get("holds")),
                    block.get("recordedBy") == null ? "-" : text(block.get("recordedBy")), usersText(block));
            }
            return 0;
        }
    }

    @SuppressWarnings("unchecked")
    private static String usersText(final Map<String, Object> block)
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

    private static String text(final Object value)
    {
        return Printable.escape(String.valueOf(value));
    }

    /** Block name to "session (manager)" for every block a live or stale session file records as live. */
    static Map<String, String> recordedBlocks()
    {
        final Map<String, String> recorded = new HashMap<>();
        try
        {
            for (final Path file : SessionFiles.list())
            {
                try (Session session = Session.openReadOnly(file))
                {
                    final Map<Integer, String> managers = new HashMap<>();
                    final List<DirectoryEntry> entries = session.directory().entries();
                    for (final DirectoryEntry entry : entries)
                    {
                        if (entry.kind() == ObjectKind.SHARED_MEMORY &&
                            (entry.flags() & SharedMemoryRecords.FLAG_MANAGER) != 0)
                        {
                            managers.put(entry.index(), entry.name());
                        }
                    }
                    for (final DirectoryEntry entry : entries)
                    {
                        if (entry.kind() != ObjectKind.SHARED_MEMORY ||
                            (entry.flags() & SharedMemoryRecords.FLAG_MANAGER) != 0)
                        {
                            continue;
                        }
                        final Map<String, Object> details = new LinkedHashMap<>();
                        SharedMemoryRecords.describe(session, entry, details);
                        if ("live".equals(details.get("state")))
                        {
                            final Object manager = details.get("manager");
                            recorded.put(entry.name(), session.name() + " (" +
                                managers.getOrDefault(manager instanceof Long l ? l.intValue() : -1, "manager ?") + ")");
                        }
                    }
                }
                catch (final SessionFileException ex)
                {
                    // not a usable session: it records nothing we can trust
                }
            }
        }
        catch (final SessionFileException ex)
        {
            // no session folder
        }
        return recorded;
    }

    static Map<String, Object> describe(final Path file, final FileUsers users, final String recordedBy)
        throws IOException
    {
        final PosixFileAttributes attributes =
            Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        final String name = file.getFileName().toString();
        final Map<String, Object> block = new LinkedHashMap<>();
        block.put("name", name);
        block.put("path", file.toString());
        block.put("size", attributes.size());
        block.put("owner", attributes.owner().getName());
        block.put("mode", PosixFilePermissions.toString(attributes.permissions()));
        block.put("holds", holds(file, name, attributes.size()));
        block.put("recordedBy", recordedBy);
        final List<Map<String, Object>> usedBy = new ArrayList<>();
        for (final long pid : users.pids(file))
        {
            final Map<String, Object> user = new LinkedHashMap<>();
            user.put("pid", pid);
            user.put("command", FileUsers.command(pid));
            usedBy.add(user);
        }
        block.put("usedBy", usedBy);
        block.put("inUse", !usedBy.isEmpty());
        return block;
    }

    private static String holds(final Path file, final String name, final long size)
    {
        if (name.startsWith("sem."))
        {
            return "POSIX semaphore";
        }
        if (size == 0)
        {
            return "empty";
        }
        if (size > DECODE_LIMIT)
        {
            return "bytes";
        }
        try
        {
            final UnsafeBuffer bytes = read(file, size);
            if (ShareableList.problem(bytes, bytes.capacity(), true) == null)
            {
                return "ShareableList(" + bytes.getLong(0) + " items)";
            }
        }
        catch (final AccessDeniedException ex)
        {
            return "? (permission denied)";
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unreadable";
        }
        return "bytes";
    }

    /** Reads up to {@code limit} bytes of {@code file} with plain reads; fewer if the file shrank meanwhile. */
    static UnsafeBuffer read(final Path file, final long limit) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final int length = (int)Math.min(Math.min(limit, channel.size()), DECODE_LIMIT);
            final ByteBuffer bytes = ByteBuffer.allocate(length);
            while (bytes.hasRemaining() && channel.read(bytes) > 0)
            {
                // read all of it, or up to a truncation that happened meanwhile
            }
            final byte[] read = new byte[bytes.position()];
            System.arraycopy(bytes.array(), 0, read, 0, read.length);
            return new UnsafeBuffer(read);
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Shows block NAME: size, owner, users, its first bytes in hex, and its items when it holds",
            "a ShareableList. Reads the block; never maps it."})
    static final class Dump implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Block name in /dev/shm.")
        String name;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Option(names = "--bytes", defaultValue = "256", paramLabel = "N",
            description = "Hex-dump at most N bytes (default ${DEFAULT-VALUE}; 0 for none).")
        int hexBytes;

        @Override
        public Integer call() throws IOException
        {
            checkedName(spec, name);
            if (hexBytes < 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--bytes must be 0 or more");
            }
            final Path file = SharedMemoryNames.path(name);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS))
            {
                throw new UserException("shared memory block '" + name + "' does not exist (no " + file +
                    "); 'launcher shm list' shows the blocks there are");
            }
            if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
            {
                throw new UserException(file + " is not a regular file, so not a shared memory block");
            }
            final Map<String, Object> block;
            final UnsafeBuffer bytes;
            try
            {
                block = describe(file, FileUsers.scan(SharedMemoryNames.directory()), recordedBlocks().get(name));
                bytes = read(file, Long.MAX_VALUE);
            }
            catch (final NoSuchFileException ex)
            {
                throw new UserException("shared memory block '" + name + "' was unlinked while being read");
            }
            catch (final AccessDeniedException ex)
            {
                throw permissionDenied(name, file, "read");
            }
            final long size = (Long)block.get("size");
            final int shown = Math.min(hexBytes, bytes.capacity());
            final Map<String, Object> list = decode(bytes, size, name);
            final PrintWriter out = spec.commandLine().getOut();
            if (json)
            {
                final StringBuilder hex = new StringBuilder();
                for (int i = 0; i < shown; i++)
                {
                    hex.append(String.format("%02x", bytes.getByte(i) & 0xff));
                }
                block.put("hex", hex.toString());
                block.put("hexBytes", shown);
                block.putAll(list);
                out.println(Json.write(block));
                return 0;
            }
            out.println("block " + name + ": " + file + ", " + size + " bytes, owner " + text(block.get("owner")) +
                ", mode " + block.get("mode") + (block.get("recordedBy") != null ? ", recorded by " +
                text(block.get("recordedBy")) : "") + ", used by " + usersText(block));
            if (shown > 0)
            {
                out.println(PrintBufferUtil.prettyHexDump(bytes, 0, shown).stripTrailing());
                if (shown < size)
                {
                    out.println("... " + (size - shown) + " more bytes (--bytes N shows more)");
                }
            }
            if (list.get("shareableList") != null)
            {
                @SuppressWarnings("unchecked")
                final Map<String, Object> sl = (Map<String, Object>)list.get("shareableList");
                @SuppressWarnings("unchecked")
                final List<Map<String, Object>> items = (List<Map<String, Object>>)sl.get("items");
                out.println("ShareableList of " + items.size() + " items, format '" + text(sl.get("format")) + "':");
                for (final Map<String, Object> item : items)
                {
                    out.printf("  [%d] %-8s %-10s %s%n", (Integer)item.get("index"), text(item.get("type")),
                        text(item.get("format")), text(item.get("repr")));
                }
            }
            else
            {
                out.println("not a ShareableList: " + text(list.get("notShareableList")));
            }
            return 0;
        }
    }

    /** {"shareableList": {...}} when the bytes are one, else {"shareableList": null, "notShareableList": why}. */
    static Map<String, Object> decode(final UnsafeBuffer bytes, final long size, final String name)
    {
        final Map<String, Object> result = new LinkedHashMap<>();
        final String problem;
        if (bytes.capacity() < size)
        {
            problem = size > DECODE_LIMIT ? "not decoded: the block is over " + DECODE_LIMIT + " bytes" :
                "the block shrank to " + bytes.capacity() + " bytes while being read";
        }
        else
        {
            problem = ShareableList.problem(bytes, size, true);
        }
        if (problem != null)
        {
            result.put("shareableList", null);
            result.put("notShareableList", problem);
            return result;
        }
        final ShareableList list = ShareableList.view(bytes, name);
        final List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < list.size(); i++)
        {
            final Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", i);
            item.put("format", list.format(i));
            try
            {
                final Object value = list.get(i);
                item.put("type", PythonRepr.typeName(value));
                item.put("value", value instanceof byte[] ? PythonRepr.repr(value) : value);
                item.put("repr", PythonRepr.repr(value));
            }
            catch (final RuntimeException ex)
            {
                item.put("type", "?");
                item.put("value", null);
                item.put("repr", "<" + ex.getMessage() + ">");
                item.put("error", ex.getMessage());
            }
            items.add(item);
        }
        final Map<String, Object> sl = new LinkedHashMap<>();
        sl.put("size", list.size());
        sl.put("format", list.format());
        sl.put("items", items);
        result.put("shareableList", sl);
        return result;
    }

    @Command(name = "unlink", mixinStandardHelpOptions = true,
        description = {"Removes block NAME, as SharedMemory.unlink(): processes that map it keep their mapping",
            "until they close it. mp4j session files are removed by 'launcher clean', not here."})
    static final class Unlink implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Block name in /dev/shm.")
        String name;

        @Override
        public Integer call()
        {
            checkedName(spec, name);
            final Path file = SharedMemoryNames.path(name);
            final List<Long> users = FileUsers.scan(SharedMemoryNames.directory()).pids(file);
            try
            {
                SharedMemory.unlink(name);
            }
            catch (final SharedMemoryException ex)
            {
                throw new UserException(ex.getMessage());
            }
            final PrintWriter out = spec.commandLine().getOut();
            out.println("unlinked " + file);
            if (!users.isEmpty())
            {
                out.println("still mapped or open in " + FileUsers.describe(users) + ": they keep the memory until " +
                    "they close it");
            }
            return 0;
        }
    }
}
