package mp4j.synchronize;

import mp4j.session.DirectoryEntry;
import mp4j.session.Session;

import java.util.Map;

/** The inspector's details for the kinds of this package and of {@code mp4j.sharedctypes}. */
public final class Describe
{
    private Describe()
    {
    }

    public static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (!session.directory().isInBounds(entry))
        {
            out.put("error", "entry points outside the data area");
            return;
        }
        switch (entry.kind())
        {
            case LOCK, RLOCK -> LockWord.describe(session, entry.lockOffset(), out);
            default ->
            {
                if (entry.hasLock())
                {
                    LockWord.describe(session, entry.lockOffset(), out);
                }
            }
        }
    }
}
