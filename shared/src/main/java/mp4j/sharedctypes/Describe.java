package mp4j.sharedctypes;

import mp4j.session.DirectoryEntry;
import mp4j.session.Session;
import mp4j.synchronize.LockWord;

import java.util.Map;

/** The inspector's details for Value and Array: the value or first elements, and the lock's owner. */
public final class Describe
{
    private Describe()
    {
    }

    public static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (!session.directory().isInBounds(entry) || entry.length() < Synchronized.HEADER_LENGTH)
        {
            out.put("error", "entry points outside the data area");
            return;
        }
        out.put("type", String.valueOf((char)entry.typeCode()));
        switch (entry.kind())
        {
            case VALUE -> Value.describe(session, entry, out);
            case ARRAY -> Array.describe(session, entry, out);
            default ->
            {
                return;
            }
        }
        out.put("lock", switch (entry.flags())
        {
            case Synchronized.OWN_RLOCK -> "own RLock";
            case Synchronized.GIVEN_LOCK -> "shared lock";
            default -> "none (lock=false)";
        });
        if (entry.hasLock())
        {
            LockWord.describe(session, entry.lockOffset(), out);
        }
    }
}
