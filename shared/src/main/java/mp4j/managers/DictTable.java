package mp4j.managers;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import static mp4j.managers.ContainerLayout.*;

/**
 * The operations on a dict table ({@link ContainerLayout}, CPython's compact dict): entries in insertion order and
 * an index of them by hash. Static, over a {@link Store}; every one needs the manager's lock held and every change
 * is undoable.
 */
final class DictTable
{
    private static final int FIRST_CAPACITY = 8;

    private DictTable()
    {
    }

    /** A new empty table with room for {@code capacity} entries. */
    static long create(final Store store, final int capacity)
    {
        final int entries = Math.max(FIRST_CAPACITY, capacity);
        final int slots = slotsFor(entries);
        final long table = store.allocate(dictTableBytes(slots, entries), DICT_TABLE);
        final AtomicBuffer view = store.view(table);
        final int at = (int)table;
        view.putInt(at + DICT_INDEX_SLOTS_OFFSET, slots);
        view.putInt(at + DICT_ENTRY_CAPACITY_OFFSET, entries);
        view.putLong(at + DICT_USED_OFFSET, 0); // used and live
        view.setMemory(at + DICT_INDEX_OFFSET, 4 * slots, (byte)0); // a reused block holds old bytes
        return table;
    }

    private static int slotsFor(final int entries)
    {
        final long wanted = entries + (entries >> 1) + 1; // index at most 2/3 full
        if (wanted > 1 << 30)
        {
            throw new IllegalStateException("a manager's dict holds at most " + ((1 << 30) / 3 * 2) + " keys");
        }
        return Integer.highestOneBit((int)wanted - 1) << 1;
    }

    static int live(final Store store, final long table)
    {
        return store.getInt(table, DICT_LIVE_OFFSET);
    }

    static int used(final Store store, final long table)
    {
        return store.getInt(table, DICT_USED_OFFSET);
    }

    static int entriesOffset(final Store store, final long table)
    {
        return dictEntriesOffset(store.getInt(table, DICT_INDEX_SLOTS_OFFSET));
    }

    /** The record of entry {@code entry}, 0 when removed. */
    static long record(final Store store, final long table, final int entry)
    {
        return store.getLong(table, entriesOffset(store, table) + entry * DICT_ENTRY + ENTRY_RECORD_FIELD);
    }

    /**
     * The index slot holding {@code key}, or {@code -1 - slot} of the slot a new entry for it would take.
     */
    static int find(final Store store, final long table, final DirectBuffer key, final int keyLength, final int hash)
    {
        final AtomicBuffer view = store.view(table);
        final int at = (int)table;
        final int slots = view.getInt(at + DICT_INDEX_SLOTS_OFFSET);
        final int used = view.getInt(at + DICT_USED_OFFSET);
        final int entries = at + dictEntriesOffset(slots);
        final int mask = slots - 1;
        int removed = -1;
        int slot = hash & mask;
        for (int probes = 0; probes < slots; probes++, slot = (slot + 1) & mask)
        {
            final int value = view.getInt(at + DICT_INDEX_OFFSET + 4 * slot);
            if (value == INDEX_EMPTY)
            {
                return -1 - (removed >= 0 ? removed : slot);
            }
            if (value == INDEX_REMOVED)
            {
                removed = removed >= 0 ? removed : slot;
                continue;
            }
            final int entry = value - 2;
            if (entry < 0 || entry >= used)
            {
                throw new IllegalStateException("manager '" + store.name + "' is corrupt: a dict index names entry " +
                    entry + " of " + used);
            }
            final int row = entries + entry * DICT_ENTRY;
            if (view.getInt(row + ENTRY_HASH_FIELD) == hash &&
                Records.keyEquals(store, view.getLong(row + ENTRY_RECORD_FIELD), key, keyLength))
            {
                return slot;
            }
        }
        return -1 - removed; // no empty slot: never, as the index is at most 2/3 full
    }

    /** The entry an index slot holds (the slot came from {@link #find}). */
    static int entryAt(final Store store, final long table, final int slot)
    {
        return store.getInt(table, DICT_INDEX_OFFSET + 4 * slot) - 2;
    }

    /** Points entry {@code entry} at {@code record}; returns the record it held (for the caller to free). */
    static long replace(final Store store, final long table, final int entry, final long record)
    {
        final int field = entriesOffset(store, table) + entry * DICT_ENTRY + ENTRY_RECORD_FIELD;
        final long old = store.getLong(table, field);
        store.putLong(table, field, record);
        return old;
    }

    /**
     * Adds an entry for a key {@link #find} did not find ({@code findResult} is what it returned); grows the
     * table first when it is full. Returns the table, which may be a new one.
     */
    static long insert(
        final Store store, final int id, long table, int findResult, final DirectBuffer key, final int keyLength,
        final int hash, final long record)
    {
        if (used(store, table) >= store.getInt(table, DICT_ENTRY_CAPACITY_OFFSET))
        {
            table = resize(store, id, table, live(store, table) + 1);
            findResult = find(store, table, key, keyLength, hash);
        }
        final int slot = -1 - findResult;
        final AtomicBuffer view = store.view(table);
        final int at = (int)table;
        final int used = view.getInt(at + DICT_USED_OFFSET);
        final int live = view.getInt(at + DICT_LIVE_OFFSET);
        final int row = at + entriesOffset(store, table) + used * DICT_ENTRY;
        view.putInt(row + ENTRY_HASH_FIELD, hash); // past 'used': nobody reaches it until the index does
        view.putInt(row + 4, 0);
        view.putLong(row + ENTRY_RECORD_FIELD, record);
        store.putInt(table, DICT_INDEX_OFFSET + 4 * slot, used + 2);
        store.putLong(table, DICT_USED_OFFSET, ((long)(live + 1) << 32) | ((used + 1) & 0xFFFF_FFFFL));
        return table;
    }

    /** Removes the entry at index slot {@code slot}; returns its record (for the caller to free). */
    static long remove(final Store store, final long table, final int slot)
    {
        final int entry = entryAt(store, table, slot);
        final long record = replace(store, table, entry, 0);
        store.putInt(table, DICT_INDEX_OFFSET + 4 * slot, INDEX_REMOVED);
        store.putInt(table, DICT_LIVE_OFFSET, live(store, table) - 1);
        return record;
    }

    /**
     * Copies the live entries, in order, into a new table with room for at least {@code needed} (the records stay
     * where they are), points container {@code id} at it and frees the old one.
     */
    static long resize(final Store store, final int id, final long table, final int needed)
    {
        final int live = live(store, table);
        final int used = used(store, table);
        final long capacity = Math.max(FIRST_CAPACITY, Math.max(needed, (long)live * 2));
        final long fresh = create(store, (int)Math.min(capacity, Integer.MAX_VALUE / 2));
        final AtomicBuffer from = store.view(table);
        final AtomicBuffer to = store.view(fresh);
        final int fromEntries = (int)table + entriesOffset(store, table);
        final int slots = to.getInt((int)fresh + DICT_INDEX_SLOTS_OFFSET);
        final int toEntries = (int)fresh + dictEntriesOffset(slots);
        final int mask = slots - 1;
        int count = 0;
        for (int entry = 0; entry < used; entry++)
        {
            final int row = fromEntries + entry * DICT_ENTRY;
            final long record = from.getLong(row + ENTRY_RECORD_FIELD);
            if (record == 0)
            {
                continue;
            }
            final int hash = from.getInt(row + ENTRY_HASH_FIELD);
            final int newRow = toEntries + count * DICT_ENTRY;
            to.putInt(newRow + ENTRY_HASH_FIELD, hash);
            to.putInt(newRow + 4, 0);
            to.putLong(newRow + ENTRY_RECORD_FIELD, record);
            int slot = hash & mask;
            while (to.getInt((int)fresh + DICT_INDEX_OFFSET + 4 * slot) != INDEX_EMPTY)
            {
                slot = (slot + 1) & mask;
            }
            to.putInt((int)fresh + DICT_INDEX_OFFSET + 4 * slot, count + 2);
            count++;
        }
        to.putLong((int)fresh + DICT_USED_OFFSET, ((long)count << 32) | (count & 0xFFFF_FFFFL));
        store.setTable(id, fresh);
        store.free(table);
        return fresh;
    }
}
