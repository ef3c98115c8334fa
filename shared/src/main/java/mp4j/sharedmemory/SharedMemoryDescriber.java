package mp4j.sharedmemory;

import mp4j.session.DirectoryEntry;
import mp4j.session.Session;
import org.agrona.concurrent.AtomicBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * What {@code launcher inspect} shows for a SHARED_MEMORY entry, read from {@link SharedMemoryRecordLayout}: a
 * manager's record, or a block's with its file in /dev/shm (whether it is still there, and what it holds:
 * {@link SharedMemoryBlocks#holds}). The fields are those of {@code docs/inspect-json.md};
 * {@code scripts/inspect.py} prints the same.
 */
public final class SharedMemoryDescriber
{
    private SharedMemoryDescriber()
    {
    }

    public static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (entry.length() < SharedMemoryRecordLayout.RECORD_LENGTH || !session.directory().isInBounds(entry))
        {
            out.put("error", "a SHARED_MEMORY entry shorter than its " + SharedMemoryRecordLayout.RECORD_LENGTH +
                "-byte record");
            return;
        }
        final AtomicBuffer buffer = session.buffer();
        final int at = (int)entry.offset();
        final int state = buffer.getIntVolatile(at + SharedMemoryRecordLayout.STATE_OFFSET);
        final boolean manager = (entry.flags() & SharedMemoryRecordLayout.FLAG_MANAGER) != 0;
        out.put("role", manager ? "manager" : "block");
        out.put("state", state == SharedMemoryRecordLayout.LIVE ? (manager ? "open" : "live") :
            state == SharedMemoryRecordLayout.UNLINKED ? (manager ? "closed" : "unlinked") : "unknown " + state);
        out.put("creatorPid", buffer.getLong(at + SharedMemoryRecordLayout.CREATOR_PID_OFFSET));
        if (manager)
        {
            return;
        }
        out.put("size", buffer.getLong(at + SharedMemoryRecordLayout.SIZE_OFFSET));
        out.put("manager", buffer.getLong(at + SharedMemoryRecordLayout.OWNER_OFFSET));
        if (SharedMemoryNames.problem(entry.name()) != null)
        {
            return; // a damaged name never becomes a path
        }
        final Path path = SharedMemoryNames.directory().resolve(entry.name());
        final boolean exists = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        out.put("path", path.toString());
        out.put("exists", exists);
        if (exists)
        {
            long size;
            try
            {
                size = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
            }
            catch (final IOException ex)
            {
                size = -1;
            }
            out.put("holds", size < 0 ? "unreadable" : SharedMemoryBlocks.holds(path, entry.name(), size));
        }
    }
}
