package mp4j.queues;

import mp4j.session.CurrentSlot;
import mp4j.session.ProcessTable;
import org.agrona.concurrent.AtomicBuffer;

import java.util.HashMap;
import java.util.Map;

import static mp4j.queues.HoldersLayout.GENERATIONS_OFFSET;
import static mp4j.queues.HoldersLayout.GENERATION_ENTRY;

/**
 * Which processes hold something open (a Pipe end, a queue's producer or consumer side), in a block of shared
 * memory laid out as {@link HoldersLayout}. A killed process never clears its bit, so readers treat a bit as
 * clear when its slot is not alive or now holds another process (another generation), and clear it.
 */
final class Holders
{
    /** Open handles per (session, block's address) in this process: the bit is cleared when the last closes. */
    private static final Map<String, int[]> LOCAL = new HashMap<>();

    private Holders()
    {
    }

    /**
     * Records this process as a holder.
     *
     * @return true when the slot was last recorded for another process (a dead one whose slot this process now
     *         has): what that process left per slot must be forgotten.
     */
    static boolean open(final String sessionName, final AtomicBuffer buffer, final int offset, final ProcessTable table)
    {
        synchronized (LOCAL)
        {
            final int[] count = LOCAL.computeIfAbsent(key(sessionName, buffer, offset), k -> new int[1]);
            count[0]++;
            final int slot = CurrentSlot.get();
            final int at = offset + GENERATIONS_OFFSET + GENERATION_ENTRY * (slot & 63);
            final short mine = (short)generation(table, slot);
            final boolean another = buffer.getShortVolatile(at) != mine;
            buffer.putShortVolatile(at, mine);
            set(buffer, offset, bit(slot), true);
            return another;
        }
    }

    static void close(final String sessionName, final AtomicBuffer buffer, final int offset)
    {
        synchronized (LOCAL)
        {
            final String key = key(sessionName, buffer, offset);
            final int[] count = LOCAL.get(key);
            if (count != null && --count[0] <= 0)
            {
                LOCAL.remove(key);
                set(buffer, offset, bit(CurrentSlot.get()), false);
            }
        }
    }

    private static String key(final String sessionName, final AtomicBuffer buffer, final int offset)
    {
        return sessionName + "@" + (buffer.addressOffset() + offset);
    }

    /** True when no process holds it: the word is zero (cheap). */
    static boolean noneRecorded(final AtomicBuffer buffer, final int offset)
    {
        return buffer.getLongVolatile(offset) == 0;
    }

    /** Processes recorded as holders, dead ones cleared on the way (costs a liveness check per other slot). */
    static int liveCount(final AtomicBuffer buffer, final int offset, final ProcessTable table)
    {
        final long word = buffer.getLongVolatile(offset);
        int live = 0;
        for (long rest = word; rest != 0; rest &= rest - 1)
        {
            final int slot = Long.numberOfTrailingZeros(rest);
            if (isAlive(buffer, offset, table, slot))
            {
                live++;
            }
            else
            {
                set(buffer, offset, 1L << slot, false);
            }
        }
        return live;
    }

    /** True when a recorded holder is dead; clears nothing (the inspector reads with it too). */
    static boolean anyDead(final AtomicBuffer buffer, final int offset, final ProcessTable table)
    {
        final long word = buffer.getLongVolatile(offset);
        for (long rest = word; rest != 0; rest &= rest - 1)
        {
            if (!isAlive(buffer, offset, table, Long.numberOfTrailingZeros(rest)))
            {
                return true;
            }
        }
        return false;
    }

    /** True when the holder recorded in {@code slot} (0..63) is this process or a live one. */
    static boolean isAlive(final AtomicBuffer buffer, final int offset, final ProcessTable table, final int slot)
    {
        if (slot == (CurrentSlot.get() & 63))
        {
            return true;
        }
        if (slot >= table.slotCount())
        {
            return false;
        }
        final int recorded = buffer.getShortVolatile(offset + GENERATIONS_OFFSET + GENERATION_ENTRY * slot) & 0xFFFF;
        return recorded == generation(table, slot) && table.isAlive(slot);
    }

    private static int generation(final ProcessTable table, final int slot)
    {
        return slot < table.slotCount() ? table.generation(slot) & 0xFFFF : 0;
    }

    private static long bit(final int slot)
    {
        return 1L << (slot & 63);
    }

    private static void set(final AtomicBuffer buffer, final int offset, final long bit, final boolean on)
    {
        while (true)
        {
            final long word = buffer.getLongVolatile(offset);
            final long next = on ? word | bit : word & ~bit;
            if (next == word || buffer.compareAndSetLong(offset, word, next))
            {
                return;
            }
        }
    }
}
