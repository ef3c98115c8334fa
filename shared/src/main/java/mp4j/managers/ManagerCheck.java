package mp4j.managers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static mp4j.managers.ContainerLayout.*;
import static mp4j.managers.ManagerLayout.*;

/**
 * What {@link Manager#check()} found walking every block of a manager (a file-system check): every block carved
 * from a segment is reachable from a container exactly once or is on its class's free list; the tables agree with
 * their indexes; the allocator's count of bytes in use is the bytes reachable. Tests and {@code scripts/chaos}
 * use it to prove that processes killed in the middle of updates leak nothing and break nothing.
 *
 * @param blocks     blocks carved from the segments.
 * @param reachable  blocks reachable from the containers (registry, tables, records).
 * @param free       blocks on the free lists.
 * @param leaked     blocks neither reachable nor free: lost to the manager.
 * @param bytesInUse the allocator's count.
 * @param undone     updates undone since the manager was made: their writer died (or failed) in the middle.
 * @param errors     what is wrong, empty when the manager is whole.
 */
public record ManagerCheck(
    long blocks, long reachable, long free, long leaked, long bytesInUse, long undone, List<String> errors)
{
    public boolean ok()
    {
        return leaked == 0 && errors.isEmpty();
    }

    /** Walks the manager; the caller holds its lock. */
    static ManagerCheck walk(final Store store)
    {
        final List<String> errors = new ArrayList<>();
        final Map<Long, Integer> carved = new HashMap<>(); // block ref -> type
        final Map<Long, Long> sizes = new HashMap<>();
        for (int segment = 0; segment < store.segmentCount(); segment++)
        {
            final long end = store.segmentEnd(segment);
            long at = SEGMENT_HEADER_LENGTH;
            while (at < end && errors.size() < 20)
            {
                final long block = ref(segment, (int)at);
                final int sizeClass = store.getInt(block, BLOCK_CLASS_OFFSET);
                if (sizeClass < 0 || sizeClass >= CLASSES)
                {
                    errors.add("segment " + segment + " offset " + at + ": size class " + sizeClass);
                    break;
                }
                carved.put(block, store.getInt(block, BLOCK_TYPE_OFFSET));
                sizes.put(block, classSize(sizeClass));
                at += classSize(sizeClass);
            }
            if (at != end && errors.isEmpty())
            {
                errors.add("segment " + segment + ": blocks end at " + at + ", carving at " + end);
            }
        }
        final Set<Long> reached = new HashSet<>();
        final long[] reachableBytes = new long[1];
        final Reach reach = (ref, type, what) ->
        {
            final Integer actual = carved.get(ref);
            if (actual == null || actual != type)
            {
                errors.add(what + " refers to " + Long.toHexString(ref) + ", which is " +
                    (actual == null ? "no block" : "a block of type " + actual) + ", not type " + type);
                return false;
            }
            if (!reached.add(ref))
            {
                errors.add(what + " refers to block " + Long.toHexString(ref) + ", reached twice");
                return false;
            }
            reachableBytes[0] += sizes.get(ref);
            return true;
        };
        final long registry = store.header.getLong(REGISTRY_OFFSET);
        final int containers = store.header.getInt(CONTAINERS_OFFSET);
        if (registry != 0 && reach.reach(registry, REGISTRY, "the registry"))
        {
            for (int id = 0; id < containers; id++)
            {
                final int kind = store.kind(id);
                final long table = store.table(id);
                checkTable(store, table, kind == LIST ? LIST_TABLE : DICT_TABLE, 0, "container #" + id, reach,
                    errors);
            }
        }
        final long garbage = store.header.getLong(GARBAGE_OFFSET);
        if (garbage != 0)
        {
            checkTable(store, garbage, store.header.getInt(GARBAGE_KIND_OFFSET),
                store.header.getLong(GARBAGE_NEXT_OFFSET), "the cleared table", reach, errors);
        }
        long free = 0;
        for (int sizeClass = 0; sizeClass < CLASSES; sizeClass++)
        {
            long block = store.header.getLong(freeList(sizeClass));
            while (block != 0 && errors.size() < 20)
            {
                final Integer type = carved.get(block);
                if (type == null || type != FREE || store.getInt(block, BLOCK_CLASS_OFFSET) != sizeClass)
                {
                    errors.add("free list " + sizeClass + " holds " + Long.toHexString(block) + ", type " + type);
                    break;
                }
                if (!reached.add(block))
                {
                    errors.add("block " + Long.toHexString(block) + " is free and in use, or on a free list twice");
                    break;
                }
                free++;
                block = store.getLong(block, BLOCK_NEXT_OFFSET);
            }
        }
        long leaked = 0;
        for (final Long block : carved.keySet())
        {
            if (!reached.contains(block))
            {
                leaked++;
            }
        }
        final long bytesInUse = store.header.getLong(BYTES_IN_USE_OFFSET);
        if (bytesInUse != reachableBytes[0])
        {
            errors.add("the allocator counts " + bytesInUse + " bytes in use; " + reachableBytes[0] + " are reachable");
        }
        if (store.header.getInt(UNDO_COUNT_OFFSET) != 0)
        {
            errors.add("an update is open (" + store.header.getInt(UNDO_COUNT_OFFSET) + " undo rows)");
        }
        return new ManagerCheck(carved.size(), reached.size() - free, free, leaked, bytesInUse,
            store.header.getInt(ROLLBACKS_OFFSET), List.copyOf(errors));
    }

    private interface Reach
    {
        boolean reach(long ref, int type, String what);
    }

    private static void checkTable(
        final Store store, final long table, final int type, final long from, final String what, final Reach reach,
        final List<String> errors)
    {
        if (!reach.reach(table, type, what + "'s table"))
        {
            return;
        }
        if (type == LIST_TABLE)
        {
            final int size = ListTable.size(store, table);
            if (size < 0 || size > ListTable.capacity(store, table))
            {
                errors.add(what + ": size " + size + " of capacity " + ListTable.capacity(store, table));
                return;
            }
            for (int i = (int)from; i < size; i++)
            {
                reach.reach(ListTable.record(store, table, i), RECORD, what + "[" + i + "]");
            }
            return;
        }
        final int used = DictTable.used(store, table);
        final int live = DictTable.live(store, table);
        final int slots = store.getInt(table, DICT_INDEX_SLOTS_OFFSET);
        if (used < 0 || used > store.getInt(table, DICT_ENTRY_CAPACITY_OFFSET) || Integer.bitCount(slots) != 1)
        {
            errors.add(what + ": used " + used + ", index slots " + slots);
            return;
        }
        int records = 0;
        for (int entry = (int)from; entry < used; entry++)
        {
            final long record = DictTable.record(store, table, entry);
            if (record != 0)
            {
                records++;
                reach.reach(record, RECORD, what + " entry " + entry);
            }
        }
        if (from == 0)
        {
            int indexed = 0;
            for (int slot = 0; slot < slots; slot++)
            {
                final int value = store.getInt(table, DICT_INDEX_OFFSET + 4 * slot);
                if (value >= 2)
                {
                    indexed++;
                    if (value - 2 >= used || DictTable.record(store, table, value - 2) == 0)
                    {
                        errors.add(what + ": index slot " + slot + " names entry " + (value - 2) + ", not live");
                    }
                }
            }
            if (records != live || indexed != live)
            {
                errors.add(what + ": " + live + " keys counted, " + records + " entries hold records, " + indexed +
                    " are indexed");
            }
        }
    }
}
