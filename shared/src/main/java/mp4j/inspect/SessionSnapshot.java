package mp4j.inspect;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectDirectory;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a session file says, decoded at one moment: header, processes (with liveness), objects (with their
 * current values and lock owners). What {@code launcher inspect} prints, as text or JSON; the JSON schema, field by
 * field and kind by kind, is {@code docs/inspect-json.md}, which {@code scripts/inspect.py} prints too.
 *
 * <p>A snapshot reads the mapped file without taking any of its locks, so it never blocks on (or disturbs) a live
 * session; the price is that values changing while it reads may be from slightly different moments. Nothing in it
 * refers back to the file once made. The bytes it decodes are drawn in {@link SessionLayout}.
 *
 * @param header    the session header, field name to value, in the order {@code docs/inspect-json.md} lists them
 *                  (file, name, layoutVersion, ... stale); {@code heartbeatAgeMs} is milliseconds before the snapshot
 * @param processes one map per process-table slot that is not free, in slot order: pid, name, role, state,
 *                  liveness, exit code (null until exited), heartbeat age in milliseconds (null if it never beat)
 *                  and task counters
 * @param objects   one map per directory entry, in directory order: where it lives in the data area, and what its
 *                  kind's describer adds (current value, lock owner, queue depth); an entry pointing outside the
 *                  data area gets an {@code error} field instead of a description
 */
public record SessionSnapshot(Map<String, Object> header, List<Map<String, Object>> processes,
    List<Map<String, Object>> objects)
{
    /**
     * Decodes everything {@code session}'s file says, now.
     *
     * @param session an open session, this process's own or one attached to for inspection; a damaged entry is
     *                reported in the snapshot, not thrown
     * @return the snapshot; its ages (heartbeats) are measured against this call's wall clock
     */
    public static SessionSnapshot of(final Session session)
    {
        final long now = System.currentTimeMillis();
        return new SessionSnapshot(header(session, now), processes(session, now), objects(session));
    }

    /**
     * The snapshot as one map, keys {@code header}, {@code processes} and {@code objects} in that order: the shape
     * {@code launcher inspect --json} writes.
     *
     * @return a new mutable map holding this record's own (not copied) components
     */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("header", header);
        map.put("processes", processes);
        map.put("objects", objects);
        return map;
    }

    private static Map<String, Object> header(final Session session, final long now)
    {
        final Map<String, Object> header = new LinkedHashMap<>();
        header.put("file", session.file().toString());
        header.put("name", session.name());
        header.put("layoutVersion", SessionLayout.LAYOUT_VERSION);
        header.put("fileLength", session.fileLength());
        header.put("creatorPid", session.creator().pid());
        header.put("creatorStartMillis", session.creator().startMillis());
        header.put("creatorAlive", session.creator().isAlive());
        header.put("createdMillis", session.createdMillis());
        header.put("heartbeatAgeMs", now - session.heartbeatMillis());
        header.put("processSlots", session.processTable().slotCount());
        header.put("directoryCapacity", session.directory().capacity());
        header.put("directoryUsed", session.directory().used());
        header.put("dataOffset", session.dataOffset());
        header.put("dataLength", session.dataLength());
        header.put("dataAllocated", session.dataAllocated());
        header.put("stale", session.isStale());
        return header;
    }

    private static List<Map<String, Object>> processes(final Session session, final long now)
    {
        final ProcessTable table = session.processTable();
        final List<Map<String, Object>> processes = new ArrayList<>();
        for (int slot = 0; slot < table.slotCount(); slot++)
        {
            final int state = table.state(slot);
            if (state == SessionLayout.SLOT_FREE)
            {
                continue;
            }
            final Map<String, Object> process = new LinkedHashMap<>();
            process.put("slot", slot);
            process.put("pid", table.pid(slot));
            process.put("name", table.name(slot));
            process.put("role", table.role(slot));
            process.put("daemon", table.isDaemon(slot));
            process.put("state", ProcessTable.stateName(state));
            process.put("exitCode", state == SessionLayout.SLOT_EXITED ? table.exitCode(slot) : null);
            final long heartbeat = table.heartbeatMillis(slot);
            process.put("heartbeatAgeMs", heartbeat == 0 ? null : now - heartbeat);
            process.put("alive", table.isAlive(slot));
            process.put("exiting", (table.flags(slot) & SessionLayout.FLAG_EXITING) != 0);
            process.put("parentSlot", table.parentSlot(slot));
            process.put("tasksDone", table.counter(slot, 0));
            process.put("tasksFailed", table.counter(slot, 1));
            process.put("tasksInFlight", table.counter(slot, 2));
            processes.add(process);
        }
        return processes;
    }

    /** A type code as one character; a damaged one (no code point) as "?(n)". */
    private static String typeCode(final int code)
    {
        if (code == 0)
        {
            return null;
        }
        return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : "?(" + code + ")";
    }

    private static List<Map<String, Object>> objects(final Session session)
    {
        final ObjectDirectory directory = session.directory();
        final List<Map<String, Object>> objects = new ArrayList<>();
        for (final DirectoryEntry entry : directory.entries())
        {
            final Map<String, Object> object = new LinkedHashMap<>();
            object.put("index", entry.index());
            object.put("name", entry.name());
            object.put("kind", entry.kind() == null ? "UNKNOWN(" + entry.kindCode() + ")" : entry.kind().name());
            object.put("typeCode", typeCode(entry.typeCode()));
            object.put("offset", entry.offset());
            object.put("length", entry.length());
            object.put("lockOffset", entry.lockOffset() < 0 ? null : entry.lockOffset());
            object.put("count", entry.count());
            object.put("creatorSlot", entry.creatorSlot());
            if (!directory.isInBounds(entry))
            {
                object.put("error", "entry points outside the data area: the directory is corrupt");
            }
            else
            {
                ObjectDescriber.describe(session, entry, object);
            }
            objects.add(object);
        }
        return objects;
    }
}
