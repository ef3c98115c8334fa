package mp4j.session;

import org.agrona.concurrent.AtomicBuffer;

import java.util.ArrayList;
import java.util.List;

import static mp4j.session.SessionLayout.*;

/**
 * The session's object directory (layout: {@link SessionLayout}): one entry for every shared object, so that any
 * process, and the inspector, can find it by name and decode it. Entries are claimed by CAS on
 * {@code directoryUsed} and published by writing {@code kind} last.
 */
public final class ObjectDirectory
{
    private final Session session;
    private final AtomicBuffer buffer;
    private final int capacity;
    private final long offset;

    /** {@code capacity} and {@code offset} as checked when the session was opened, never read again from the file. */
    ObjectDirectory(final Session session, final int capacity, final long offset)
    {
        this.session = session;
        this.buffer = session.buffer();
        this.capacity = capacity;
        this.offset = offset;
    }

    /**
     * Entries the directory holds: at most this many shared objects in the session.
     *
     * @return the capacity, as checked when the session was opened
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Entries claimed so far (published or about to be).
     *
     * @return the count, clamped to 0..{@link #capacity()} whatever the file says
     */
    public int used()
    {
        return Math.max(0, Math.min(buffer.getIntVolatile(DIRECTORY_USED_OFFSET), capacity));
    }

    private int at(final int index, final int field)
    {
        return (int)(offset + (long)index * ENTRY_LENGTH + field);
    }

    /**
     * Allocates {@code length} bytes in the data area and lists them under {@code name}.
     *
     * @param kind     what the object is
     * @param name     null for a generated name ("Value-3"); cut to {@link SessionLayout#ENTRY_NAME_LENGTH} bytes
     * @param typeCode the Python type code of the elements as a char ('i', 'd', ...), 0 when not typed
     * @param length   bytes of the object, positive
     * @param count    kind-specific: elements (Array), capacity (Queue), parties (Barrier)...
     * @param flags    kind-specific flags
     * @return the published entry, with no lock ({@code lockOffset} -1; see {@link #setLockOffset}).
     * @throws SessionFullException when the data area or the directory is full
     */
    public DirectoryEntry allocate(
        final ObjectKind kind, final String name, final int typeCode, final long length, final long count,
        final int flags)
    {
        final long offset = session.allocate(length,
            "a new " + kindLabel(kind) + (name != null ? " '" + name + "'" : "") + " (" + length + " bytes)");
        return add(kind, name, typeCode, offset, length, -1, count, flags);
    }

    /**
     * Lists bytes already allocated (an object inside another one's bytes, say) under {@code name}.
     *
     * @param kind       what the object is
     * @param name       null for a generated name ("Value-3"); cut to {@link SessionLayout#ENTRY_NAME_LENGTH} bytes
     * @param typeCode   the Python type code of the elements as a char ('i', 'd', ...), 0 when not typed
     * @param offset     absolute offset of the object's bytes in the session file
     * @param length     bytes of the object
     * @param lockOffset absolute offset of the object's lock word, -1 when it has none
     * @param count      kind-specific: elements (Array), capacity (Queue), parties (Barrier)...
     * @param flags      kind-specific flags
     * @return the published entry.
     * @throws SessionFullException when the directory is full
     */
    public DirectoryEntry add(
        final ObjectKind kind, final String name, final int typeCode, final long offset, final long length,
        final long lockOffset, final long count, final int flags)
    {
        final int index = claimIndex();
        final String entryName = name != null ? name : kindLabel(kind) + "-" + index;
        buffer.putInt(at(index, ENTRY_TYPE_CODE_OFFSET), typeCode);
        buffer.putLong(at(index, ENTRY_OFFSET_OFFSET), offset);
        buffer.putLong(at(index, ENTRY_LENGTH_OFFSET), length);
        buffer.putLong(at(index, ENTRY_LOCK_OFFSET_OFFSET), lockOffset);
        buffer.putLong(at(index, ENTRY_COUNT_OFFSET), count);
        buffer.putInt(at(index, ENTRY_CREATOR_SLOT_OFFSET), CurrentSlot.get());
        buffer.putInt(at(index, ENTRY_FLAGS_OFFSET), flags);
        Strings.put(buffer, at(index, ENTRY_NAME_OFFSET), ENTRY_NAME_LENGTH, entryName);
        buffer.putIntOrdered(at(index, ENTRY_KIND_OFFSET), kind.code());
        return entry(index);
    }

    /**
     * Gives a published entry a new name, for an object whose bytes are reused by a new object of the same kind
     * (a stopped pool's rings, say). A reader may see a torn name for an instant; nothing else changes.
     *
     * @param index the entry's index
     * @param name  the new name, cut to {@link SessionLayout#ENTRY_NAME_LENGTH} bytes
     * @return the entry as it reads now
     */
    public DirectoryEntry rename(final int index, final String name)
    {
        Strings.put(buffer, at(index, ENTRY_NAME_OFFSET), ENTRY_NAME_LENGTH, name);
        return entry(index);
    }

    /**
     * Sets an entry's lock offset, for objects whose lock is allocated after them.
     *
     * @param index      the entry's index
     * @param lockOffset absolute offset of the object's lock word, -1 for none
     */
    public void setLockOffset(final int index, final long lockOffset)
    {
        buffer.putLongOrdered(at(index, ENTRY_LOCK_OFFSET_OFFSET), lockOffset);
    }

    private int claimIndex()
    {
        while (true)
        {
            final int used = buffer.getIntVolatile(DIRECTORY_USED_OFFSET);
            if (used < 0)
            {
                throw new SessionFileException("session file " + session.file() + " is corrupt: its directory's " +
                    "count of entries reads " + used + "; something outside mp4j wrote into it");
            }
            if (used >= capacity)
            {
                throw new SessionFullException("the session's object directory is full (" + capacity +
                    " objects); this session cannot list more shared objects");
            }
            if (buffer.compareAndSetInt(DIRECTORY_USED_OFFSET, used, used + 1))
            {
                return used;
            }
        }
    }

    /**
     * The entry at {@code index}, read anew from the file.
     *
     * @param index 0..{@link #capacity()} - 1
     * @return a snapshot of the entry, or null while it is not published
     * @throws IndexOutOfBoundsException when {@code index} is out of range
     */
    public DirectoryEntry entry(final int index)
    {
        if (index < 0 || index >= capacity)
        {
            throw new IndexOutOfBoundsException("directory entry " + index + " is outside 0.." + (capacity - 1));
        }
        final int kindCode = buffer.getIntVolatile(at(index, ENTRY_KIND_OFFSET));
        if (kindCode == 0)
        {
            return null;
        }
        return new DirectoryEntry(
            index,
            ObjectKind.fromCode(kindCode),
            kindCode,
            buffer.getInt(at(index, ENTRY_TYPE_CODE_OFFSET)),
            buffer.getLong(at(index, ENTRY_OFFSET_OFFSET)),
            buffer.getLong(at(index, ENTRY_LENGTH_OFFSET)),
            buffer.getLongVolatile(at(index, ENTRY_LOCK_OFFSET_OFFSET)),
            buffer.getLong(at(index, ENTRY_COUNT_OFFSET)),
            buffer.getInt(at(index, ENTRY_CREATOR_SLOT_OFFSET)),
            buffer.getInt(at(index, ENTRY_FLAGS_OFFSET)),
            Strings.get(buffer, at(index, ENTRY_NAME_OFFSET), ENTRY_NAME_LENGTH));
    }

    /**
     * Published entries, in allocation order.
     *
     * @return a new list of snapshots; entries claimed but not yet published are left out
     */
    public List<DirectoryEntry> entries()
    {
        final int used = used();
        final List<DirectoryEntry> entries = new ArrayList<>(used);
        for (int i = 0; i < used; i++)
        {
            final DirectoryEntry entry = entry(i);
            if (entry != null)
            {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * The first published entry with this name.
     *
     * @param name the name, compared exactly
     * @return the entry, or null when none has that name
     */
    public DirectoryEntry find(final String name)
    {
        for (final DirectoryEntry entry : entries())
        {
            if (entry.name().equals(name))
            {
                return entry;
            }
        }
        return null;
    }

    /**
     * Checks that an entry's bytes lie inside the data area, so a corrupt directory cannot send a reader
     * outside the mapping.
     *
     * @param entry an entry read from this session's directory
     * @return whether its bytes, and its lock word if it has one, lie inside the data area
     */
    public boolean isInBounds(final DirectoryEntry entry)
    {
        final long start = session.dataOffset();
        final long end = start + session.dataLength();
        return entry.offset() >= start && entry.length() >= 0 && entry.offset() + entry.length() <= end &&
            (entry.lockOffset() == -1 || (entry.lockOffset() >= start && entry.lockOffset() + 8 <= end));
    }

    /** The kind as Python names the class: "BoundedSemaphore", "SharedMemory", and "RLock" (not "Rlock"). */
    private static String kindLabel(final ObjectKind kind)
    {
        if (kind == ObjectKind.RLOCK)
        {
            return "RLock";
        }
        final String lower = kind.name().toLowerCase();
        final StringBuilder label = new StringBuilder();
        boolean upper = true;
        for (final char c : lower.toCharArray())
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }
            label.append(upper ? Character.toUpperCase(c) : c);
            upper = false;
        }
        return label.toString();
    }
}
