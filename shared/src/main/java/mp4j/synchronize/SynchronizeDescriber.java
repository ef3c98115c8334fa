package mp4j.synchronize;

import mp4j.session.DirectoryEntry;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import org.agrona.concurrent.AtomicBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code launcher inspect} shows for the kinds of this package, read from their descriptors
 * ({@link LockWordLayout}, {@link SemaphoreLayout}, {@link EventLayout}, {@link ConditionLayout},
 * {@link BarrierLayout}) without taking any lock. The fields are those of {@code docs/inspect-json.md};
 * {@code scripts/inspect.py} prints the same.
 */
public final class SynchronizeDescriber
{
    private SynchronizeDescriber()
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
            case LOCK, RLOCK -> out.put("lock", lock(session, entry.lockOffset()));
            case SEMAPHORE, BOUNDED_SEMAPHORE -> semaphore(session, entry, out);
            case EVENT -> event(session, entry, out);
            case BARRIER -> barrier(session, entry, out);
            case CONDITION ->
            {
                condition(session, entry, out);
                out.put("lock", lock(session, entry.lockOffset()));
            }
            default ->
            {
                if (entry.hasLock())
                {
                    out.put("lock", lock(session, entry.lockOffset()));
                }
            }
        }
    }

    /**
     * The lock word at {@code lockOffset} (docs/inspect-json.md, "lock"): whether it is held, the owner's slot,
     * pid, thread and liveness (null while free), the recursion count, waiters, ownerDied and recoveries; or an
     * error when the offset is no lock's.
     */
    public static Map<String, Object> lock(final Session session, final long lockOffset)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        final AtomicBuffer buffer = session.buffer();
        if ((lockOffset & 7) != 0 || lockOffset < session.dataOffset() ||
            lockOffset + LockWordLayout.LENGTH > session.dataOffset() + session.dataLength())
        {
            out.put("error", "corrupt lock offset " + lockOffset);
            return out;
        }
        final int at = (int)lockOffset;
        final long owner = buffer.getLongVolatile(at + LockWordLayout.OWNER_OFFSET);
        final ProcessTable table = session.processTable();
        final int slot = LockWord.slotOf(owner);
        final boolean locked = owner != 0;
        out.put("locked", locked);
        out.put("ownerSlot", locked ? slot : null);
        out.put("ownerPid", locked && slot >= 0 && slot < table.slotCount() ? table.pid(slot) : null);
        out.put("ownerThread", locked ? LockWord.threadOf(owner) : null);
        out.put("ownerAlive", locked ? !LockWord.isDead(table, owner, -1) : null);
        out.put("count", buffer.getIntVolatile(at + LockWordLayout.COUNT_OFFSET));
        out.put("waiters", buffer.getIntVolatile(at + LockWordLayout.WAITERS_OFFSET));
        out.put("ownerDied", buffer.getIntVolatile(at + LockWordLayout.OWNER_DIED_OFFSET) != 0);
        out.put("recoveries", buffer.getIntVolatile(at + LockWordLayout.RECOVERIES_OFFSET));
        return out;
    }

    private static void semaphore(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        final AtomicBuffer buffer = session.buffer();
        final int base = (int)entry.offset();
        final int slots = entry.length() < SemaphoreLayout.HELD_OFFSET ? -1 :
            buffer.getInt(base + SemaphoreLayout.SLOTS_OFFSET);
        if ((base & 7) != 0 || slots < 0 ||
            SemaphoreLayout.HELD_OFFSET + (long)SemaphoreLayout.HELD_ENTRY * slots > entry.length())
        {
            out.put("error", "corrupt semaphore");
            return;
        }
        out.put("value", buffer.getLongVolatile(base + SemaphoreLayout.VALUE_OFFSET));
        final long bound = buffer.getLong(base + SemaphoreLayout.BOUND_OFFSET);
        out.put("bound", bound == Long.MAX_VALUE ? null : bound);
        out.put("robust", (entry.flags() & SemaphoreLayout.FLAG_NOT_ROBUST) == 0);
        out.put("waiters", buffer.getIntVolatile(base + SemaphoreLayout.WAITERS_OFFSET));
        out.put("recovered", buffer.getIntVolatile(base + SemaphoreLayout.RECOVERED_OFFSET));
        final ProcessTable table = session.processTable();
        final List<Map<String, Object>> holders = new ArrayList<>();
        for (int slot = 0; slot < Math.min(slots, table.slotCount()); slot++)
        {
            final long held = buffer.getLongVolatile(
                base + SemaphoreLayout.HELD_OFFSET + SemaphoreLayout.HELD_ENTRY * slot);
            if ((int)held > 0 && (int)(held >>> 32) == table.generation(slot))
            {
                final Map<String, Object> holder = new LinkedHashMap<>();
                holder.put("slot", slot);
                holder.put("pid", table.pid(slot));
                holder.put("permits", (int)held);
                holder.put("alive", table.isAlive(slot));
                holders.add(holder);
            }
        }
        out.put("holders", holders);
    }

    private static void event(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (entry.length() < EventLayout.LENGTH)
        {
            out.put("error", "an Event's entry is shorter than its " + EventLayout.LENGTH + " bytes");
            return;
        }
        final AtomicBuffer buffer = session.buffer();
        final int base = (int)entry.offset();
        out.put("set", buffer.getIntVolatile(base + EventLayout.FLAG_OFFSET) != 0);
        out.put("waiters", buffer.getIntVolatile(base + EventLayout.WAITERS_OFFSET));
        out.put("sets", buffer.getLongVolatile(base + EventLayout.SETS_OFFSET));
    }

    private static void condition(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (entry.length() < ConditionLayout.LENGTH)
        {
            out.put("error", "a Condition's entry is shorter than its " + ConditionLayout.LENGTH + " bytes");
            return;
        }
        final AtomicBuffer buffer = session.buffer();
        final int base = (int)entry.offset();
        out.put("sleepers", buffer.getIntVolatile(base + ConditionLayout.SLEEPERS_OFFSET));
        out.put("pendingWakeups", buffer.getIntVolatile(base + ConditionLayout.SIGNALS_OFFSET));
        out.put("notified", buffer.getLongVolatile(base + ConditionLayout.NOTIFIED_OFFSET));
        final int lockEntry = buffer.getInt(base + ConditionLayout.LOCK_ENTRY_OFFSET);
        out.put("lockEntry", lockEntry < 0 ? null : lockEntry);
    }

    private static void barrier(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (entry.length() < BarrierLayout.PARTICIPANTS_OFFSET)
        {
            out.put("error", "a Barrier's entry is shorter than its " + BarrierLayout.PARTICIPANTS_OFFSET +
                "-byte header");
            return;
        }
        final AtomicBuffer buffer = session.buffer();
        final int base = (int)entry.offset();
        final long state = buffer.getLongVolatile(base + BarrierLayout.STATE_OFFSET);
        out.put("parties", buffer.getInt(base + BarrierLayout.PARTIES_OFFSET));
        out.put("waiting", (int)state);
        out.put("generation", (int)(state >>> 32));
        out.put("broken", buffer.getIntVolatile(base + BarrierLayout.BROKEN_OFFSET) != 0);
        out.put("waiters", buffer.getIntVolatile(base + BarrierLayout.WAITERS_OFFSET));
        final int timeoutMs = buffer.getInt(base + BarrierLayout.TIMEOUT_MS_OFFSET);
        out.put("timeoutMs", timeoutMs > 0 ? timeoutMs : null);
    }
}
