package mp4j.managers;

import org.agrona.concurrent.AtomicBuffer;

import static mp4j.managers.ContainerLayout.*;

/**
 * The operations on a list table ({@link ContainerLayout}): the refs of the list's records, in order. Static, over
 * a {@link Store}; every one needs the manager's lock held and every change is undoable. An append writes past
 * the size and then raises it (one undo row); anything that moves rows builds a new table and points the
 * container at it (one undo row), so no update needs a row per element.
 */
final class ListTable
{
    private static final int FIRST_CAPACITY = 8;

    private ListTable()
    {
    }

    static long create(final Store store, final int capacity)
    {
        final int rows = Math.max(FIRST_CAPACITY, capacity);
        final long table = store.allocate(listTableBytes(rows), LIST_TABLE);
        final AtomicBuffer view = store.view(table);
        view.putInt((int)table + LIST_CAPACITY_OFFSET, rows);
        view.putInt((int)table + LIST_SIZE_OFFSET, 0);
        return table;
    }

    static int size(final Store store, final long table)
    {
        return store.getInt(table, LIST_SIZE_OFFSET);
    }

    static int capacity(final Store store, final long table)
    {
        return store.getInt(table, LIST_CAPACITY_OFFSET);
    }

    static long record(final Store store, final long table, final int index)
    {
        return store.getLong(table, LIST_ROWS_OFFSET + 8 * index);
    }

    /** Points row {@code index} at {@code record}; returns the record it held (for the caller to free). */
    static long set(final Store store, final long table, final int index, final long record)
    {
        final long old = record(store, table, index);
        store.putLong(table, LIST_ROWS_OFFSET + 8 * index, record);
        return old;
    }

    /** Room for {@code more} appends: a bigger copy of the table when needed. Returns the table. */
    static long reserve(final Store store, final int id, final long table, final int more)
    {
        final int size = size(store, table);
        final long needed = (long)size + more;
        if (needed <= capacity(store, table))
        {
            return table;
        }
        if (needed > Integer.MAX_VALUE - 16)
        {
            throw new IllegalStateException("a manager's list holds at most " + (Integer.MAX_VALUE - 16) + " items");
        }
        final int grown = (int)Math.min(Integer.MAX_VALUE - 16, Math.max(needed, (long)capacity(store, table) * 2));
        return rebuild(store, id, table, grown, size, -1, 0);
    }

    /** Appends one record; the caller has {@link #reserve reserved} room. */
    static void append(final Store store, final long table, final long record)
    {
        final int size = size(store, table);
        store.view(table).putLong((int)table + LIST_ROWS_OFFSET + 8 * size, record); // past size: unreachable yet
        store.putInt(table, LIST_SIZE_OFFSET, size + 1);
    }

    /** Appends without raising the size; {@link #setSize} publishes a run of them. */
    static void appendUnpublished(final Store store, final long table, final int index, final long record)
    {
        store.view(table).putLong((int)table + LIST_ROWS_OFFSET + 8 * index, record);
    }

    static void setSize(final Store store, final long table, final int size)
    {
        store.putInt(table, LIST_SIZE_OFFSET, size);
    }

    /** Inserts {@code record} before row {@code index} (a new table). Returns the table. */
    static long insert(final Store store, final int id, final long table, final int index, final long record)
    {
        final int size = size(store, table);
        final int capacity = Math.max(capacity(store, table), size + 1);
        final long fresh = rebuild(store, id, table, size + 1 > capacity(store, table) ? capacity * 2 : capacity,
            size, index, 1);
        store.view(fresh).putLong((int)fresh + LIST_ROWS_OFFSET + 8 * index, record);
        return fresh;
    }

    /** Removes row {@code index}; returns its record (for the caller to free). */
    static long remove(final Store store, final int id, final long table, final int index)
    {
        final int size = size(store, table);
        final long record = record(store, table, index);
        if (index == size - 1)
        {
            store.putInt(table, LIST_SIZE_OFFSET, size - 1);
        }
        else
        {
            rebuild(store, id, table, capacity(store, table), size, index, -1);
        }
        return record;
    }

    /**
     * A copy of the table with {@code capacity} rows: its {@code size} rows, with {@code delta} rows opened (1) or
     * closed (-1) at {@code at} (-1: none). Points container {@code id} at it and frees the old table.
     */
    static long rebuild(
        final Store store, final int id, final long table, final int capacity, final int size, final int at,
        final int delta)
    {
        final long fresh = create(store, capacity);
        final AtomicBuffer to = store.view(fresh);
        final AtomicBuffer from = store.view(table);
        final int src = (int)table + LIST_ROWS_OFFSET;
        final int dst = (int)fresh + LIST_ROWS_OFFSET;
        if (at < 0)
        {
            to.putBytes(dst, from, src, 8 * size);
        }
        else if (delta > 0)
        {
            to.putBytes(dst, from, src, 8 * at);
            to.putBytes(dst + 8 * (at + delta), from, src + 8 * at, 8 * (size - at));
        }
        else
        {
            to.putBytes(dst, from, src, 8 * at);
            to.putBytes(dst + 8 * at, from, src + 8 * (at + 1), 8 * (size - at - 1));
        }
        to.putInt((int)fresh + LIST_SIZE_OFFSET, size + delta);
        store.setTable(id, fresh);
        store.free(table);
        return fresh;
    }

    /** A new table whose rows are the old rows in the order {@code order} gives (sort, reverse). */
    static long permute(final Store store, final int id, final long table, final int[] order)
    {
        final long fresh = create(store, capacity(store, table));
        final AtomicBuffer to = store.view(fresh);
        for (int i = 0; i < order.length; i++)
        {
            to.putLong((int)fresh + LIST_ROWS_OFFSET + 8 * i, record(store, table, order[i]));
        }
        to.putInt((int)fresh + LIST_SIZE_OFFSET, order.length);
        store.setTable(id, fresh);
        store.free(table);
        return fresh;
    }
}
