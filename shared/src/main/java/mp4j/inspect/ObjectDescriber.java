package mp4j.inspect;

import mp4j.managers.ManagerDescriber;
import mp4j.pool.PoolLayout;
import mp4j.queues.QueuesDescriber;
import mp4j.session.DirectoryEntry;
import mp4j.session.Session;
import mp4j.sharedctypes.SharedCTypesDescriber;
import mp4j.sharedmemory.SharedMemoryDescriber;
import mp4j.synchronize.SynchronizeDescriber;

import java.util.Map;

/**
 * What the inspector says about each kind of object beyond its directory entry: a Value's current value, a
 * lock's owner and waiters, a queue's depth. Each package's describer reads its own descriptors; this only
 * dispatches. The fields, kind by kind, are documented in {@code docs/inspect-json.md}.
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
                case SHARED_MEMORY -> SharedMemoryDescriber.describe(session, entry, out);
                case POOL -> PoolLayout.describe(session, entry, out);
                case PIPE -> QueuesDescriber.pipe(session, entry, out);
                case QUEUE, SIMPLE_QUEUE, JOINABLE_QUEUE -> QueuesDescriber.queue(session, entry, out);
                case LOCK, RLOCK, SEMAPHORE, BOUNDED_SEMAPHORE, EVENT, CONDITION, BARRIER ->
                    SynchronizeDescriber.describe(session, entry, out);
                case VALUE, ARRAY -> SharedCTypesDescriber.describe(session, entry, out);
                case MANAGER -> ManagerDescriber.describe(session, entry, out);
                case EMPTY ->
                {
                    // never listed: an empty entry is no object
                }
            }
        }
        catch (final RuntimeException ex)
        {
            out.put("error", "cannot decode: " + ex.getMessage());
        }
    }
}
