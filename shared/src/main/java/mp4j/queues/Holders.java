package mp4j.queues;

import mp4j.session.CurrentSlot;
import mp4j.session.ProcessTable;
import org.agrona.concurrent.AtomicBuffer;

import java.util.HashMap;
import java.util.Map;

/**
 * Which processes hold something open (a Pipe end, a queue's producer or consumer side): a 64-bit word in shared
 * memory, bit {@code slot & 63} per process slot, set while the slot's process has at least one open handle.
 * A killed process never clears its bit, so readers treat a bit whose slot is not alive as clear, and clear it.
 */
final class Holders
{
    /** Open handles per (session, word's address) in this process: the bit is cleared when the last closes. */
    private static final Map<String, int[]> LOCAL = new HashMap<>();

    private Holders()
    {
    }

    static void open(final String sessionName, final AtomicBuffer buffer, final int offset)
    {
        synchronized (LOCAL)
        {
            final int[] count = LOCAL.computeIfAbsent(key(sessionName, buffer, offset), k -> new int[1]);
            count[0]++;
            set(buffer, offset, bit(CurrentSlot.get()), true);
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
        final int me = CurrentSlot.get() & 63;
        int live = 0;
        for (long rest = word; rest != 0; rest &= rest - 1)
        {
            final int slot = Long.numberOfTrailingZeros(rest);
            if (slot == me || slot < table.slotCount() && table.isAlive(slot))
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

    static int recordedCount(final AtomicBuffer buffer, final int offset)
    {
        return Long.bitCount(buffer.getLongVolatile(offset));
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
