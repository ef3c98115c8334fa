package mp4j.sharedmemory;

import mp4j.session.DirectoryEntry;
import mp4j.session.FileUsers;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SessionFileException;
import mp4j.session.SessionFiles;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocks of {@code /dev/shm} seen from outside, by {@code launcher shm} and {@code launcher inspect}: which
 * there are, who owns and maps them, what they hold (a ShareableList, by {@link ShareableListLayout}'s check), and
 * a ShareableList's items. Blocks are read with plain reads, never mapped, so a truncated or foreign file cannot
 * fault the reader; {@code scripts/inspect.py} reads them the same way.
 */
public final class SharedMemoryBlocks
{
    /** Blocks larger than this are shown in hex only; decoding one as a ShareableList would copy all of it. */
    public static final int DECODE_LIMIT = 256 << 20;

    /** What {@link #holds} says of a block that holds no ShareableList. */
    public static final String BYTES = "bytes";

    private SharedMemoryBlocks()
    {
    }

    /** The regular files of {@link SharedMemoryNames#directory()} that are not mp4j session files, by name. */
    public static List<Path> files() throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(SharedMemoryNames.directory()))
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
        return files;
    }

    /**
     * One block as {@code launcher shm list --json} prints it: name, path, size, owner, mode, holds, recordedBy,
     * usedBy (pid and command of each live process that maps it or holds it open), inUse.
     */
    public static Map<String, Object> describe(final Path file, final FileUsers users, final String recordedBy)
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

    /**
     * What block {@code file} of {@code size} bytes holds: "POSIX semaphore" (a {@code sem.} name), "empty",
     * "ShareableList(N items)", {@link #BYTES}, "? (permission denied)" or "unreadable". Reads only the parts a
     * ShareableList's check needs (its count and offsets, then its formats and codes), whatever the block's size.
     */
    public static String holds(final Path file, final String name, final long size)
    {
        if (name.startsWith("sem."))
        {
            return "POSIX semaphore";
        }
        if (size == 0)
        {
            return "empty";
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final long items = shareableListItems(channel, size);
            return items < 0 ? BYTES : "ShareableList(" + items + " items)";
        }
        catch (final AccessDeniedException ex)
        {
            return "? (permission denied)";
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unreadable";
        }
    }

    /** The item count of the ShareableList in the block, or -1 when the block holds none (or changed meanwhile). */
    private static long shareableListItems(final FileChannel channel, final long size) throws IOException
    {
        if (size < ShareableListLayout.EMPTY_LENGTH)
        {
            return -1;
        }
        final ByteBuffer count = readAt(channel, 0, 8);
        final long n = count.remaining() == 8 ? count.getLong(0) : -1;
        if (n < 0 || n > (size - ShareableListLayout.EMPTY_LENGTH) / 17 ||
            ShareableListLayout.dataStart((int)n) > DECODE_LIMIT)
        {
            return -1;
        }
        final int items = (int)n;
        final ByteBuffer head = readAt(channel, 0, (int)ShareableListLayout.dataStart(items));
        if (head.remaining() < ShareableListLayout.dataStart(items))
        {
            return -1;
        }
        final long dataLength = head.getLong((int)ShareableListLayout.offsetAt(items));
        final long tailStart = ShareableListLayout.formatsStart(items, dataLength);
        if (dataLength < 0 || ShareableListLayout.requiredSize(items, dataLength) != size)
        {
            return -1;
        }
        final ByteBuffer tail = readAt(channel, tailStart, (int)(size - tailStart));
        if (tail.remaining() < size - tailStart)
        {
            return -1;
        }
        final ShareableListLayout.Bytes parts = new ShareableListLayout.Bytes()
        {
            @Override
            public long getLong(final long at)
            {
                return at + 8 <= head.limit() ? head.getLong((int)at) : tail.getLong((int)(at - tailStart));
            }

            @Override
            public byte getByte(final long at)
            {
                return at < head.limit() ? head.get((int)at) : tail.get((int)(at - tailStart));
            }
        };
        return ShareableListLayout.problem(parts, size, true) == null ? items : -1;
    }

    /** Up to {@code length} bytes from {@code position}, fewer when the file is shorter; native byte order. */
    private static ByteBuffer readAt(final FileChannel channel, final long position, final int length)
        throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        while (bytes.hasRemaining() && channel.read(bytes, position + bytes.position()) > 0)
        {
            // read all of it, or up to a truncation that happened meanwhile
        }
        return bytes.flip();
    }

    /** Reads up to {@code limit} bytes of {@code file} with plain reads; fewer if the file shrank meanwhile. */
    public static UnsafeBuffer read(final Path file, final long limit) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final ByteBuffer bytes = readAt(channel, 0, (int)Math.min(Math.min(limit, channel.size()), DECODE_LIMIT));
            final byte[] read = new byte[bytes.remaining()];
            bytes.get(read);
            return new UnsafeBuffer(read);
        }
    }

    /**
     * Block name to "session (manager)" for every block that a live or stale session file records as live: who
     * will unlink it.
     */
    public static Map<String, String> recordedBlocks()
    {
        final Map<String, String> recorded = new HashMap<>();
        try
        {
            for (final Path file : SessionFiles.list())
            {
                try (Session session = Session.openReadOnly(file))
                {
                    recordedIn(session, recorded);
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

    private static void recordedIn(final Session session, final Map<String, String> recorded)
    {
        final Map<Integer, String> managers = new HashMap<>();
        final List<DirectoryEntry> entries = session.directory().entries();
        for (final DirectoryEntry entry : entries)
        {
            if (entry.kind() == ObjectKind.SHARED_MEMORY &&
                (entry.flags() & SharedMemoryRecordLayout.FLAG_MANAGER) != 0)
            {
                managers.put(entry.index(), entry.name());
            }
        }
        for (final DirectoryEntry entry : entries)
        {
            if (SharedMemoryRecords.isBlock(entry) && session.directory().isInBounds(entry) &&
                SharedMemoryRecords.state(session, entry) == SharedMemoryRecordLayout.LIVE)
            {
                final long manager = SharedMemoryRecords.owner(session, entry);
                recorded.put(entry.name(), session.name() + " (" +
                    managers.getOrDefault(manager >= 0 && manager <= Integer.MAX_VALUE ? (int)manager : -1,
                        "manager ?") + ")");
            }
        }
    }

    /**
     * A ShareableList's items as {@code launcher shm dump} shows them: {@code {"shareableList": {size, format,
     * items: [{index, format, type, value, repr}]}}} when the bytes are one, else {@code {"shareableList": null,
     * "notShareableList": why}}. A value is shown as JSON can hold it: bytes as their Python repr.
     *
     * @param bytes the block's bytes as read ({@link #read}); fewer than {@code size} when it shrank or is over
     *              {@link #DECODE_LIMIT}.
     */
    public static Map<String, Object> shareableList(final UnsafeBuffer bytes, final long size, final String name)
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
            problem = ShareableListLayout.problem(bytes, size, true);
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
}
