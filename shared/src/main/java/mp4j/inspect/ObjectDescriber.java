package mp4j.inspect;

import mp4j.session.DirectoryEntry;
import mp4j.session.Session;

import java.util.Map;

/**
 * What the inspector says about each kind of object beyond its directory entry: a Value's current value, a
 * lock's owner and waiters, a queue's depth. Each kind's own class knows its layout; this only dispatches.
 */
final class ObjectDescriber
{
    private ObjectDescriber()
    {
    }

    static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (entry.kind() == null)
        {
            return;
        }
        try
        {
            switch (entry.kind())
            {
                case SHARED_MEMORY -> mp4j.sharedmemory.SharedMemoryRecords.describe(session, entry, out);
                case POOL -> mp4j.pool.PoolLayout.describe(session, entry, out);
                case PIPE -> mp4j.queues.Connection.describe(session, entry, out);
                case QUEUE, SIMPLE_QUEUE, JOINABLE_QUEUE -> mp4j.queues.Queue.describe(session, entry, out);
                case LOCK, RLOCK, SEMAPHORE, BOUNDED_SEMAPHORE, EVENT, CONDITION, BARRIER -> mp4j.synchronize.Describe.describe(session, entry, out);
                case VALUE, ARRAY -> mp4j.sharedctypes.Describe.describe(session, entry, out);
                case MANAGER -> mp4j.managers.Describe.describe(session, entry, out);
                default ->
                {
                    // kinds without details yet show their directory entry only
                }
            }
        }
        catch (final RuntimeException ex)
        {
            out.put("error", "cannot decode: " + ex.getMessage());
        }
    }
}
