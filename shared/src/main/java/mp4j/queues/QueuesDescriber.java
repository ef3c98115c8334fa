package mp4j.queues;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.synchronize.SynchronizeDescriber;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Map;

/**
 * What {@code launcher inspect} shows for queues and pipe ends, read from {@link QueueLayout}, {@link PipeLayout},
 * {@link SpillLayout} and {@link HoldersLayout} without taking any lock. The fields are those of
 * {@code docs/inspect-json.md}; {@code scripts/inspect.py} prints the same.
 */
public final class QueuesDescriber
{
    private QueuesDescriber()
    {
    }

    /**
     * A QUEUE, SIMPLE_QUEUE or JOINABLE_QUEUE entry: depth, maxsize, capacity, producers, consumers, sent, spilled,
     * spillBytes, unfinished (joinable only) and its consumer lock. A snapshot taken while others put and get: the
     * counters are read one after another, so depth may be off by the values moving meanwhile (never below 0).
     *
     * @param session the session, possibly attached read-only.
     * @param entry   the queue's directory entry; one shorter than {@link QueueLayout#HEADER_LENGTH} gets an
     *                "error" field instead.
     * @param out     the map the fields are put into.
     */
    public static void queue(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (entry.length() < QueueLayout.HEADER_LENGTH)
        {
            out.put("error", "a queue's entry is shorter than its " + QueueLayout.HEADER_LENGTH + "-byte header");
            return;
        }
        final AtomicBuffer buffer = session.buffer();
        final int base = Math.toIntExact(entry.offset());
        final long sent = buffer.getLongVolatile(base + QueueLayout.SENT_OFFSET);
        final long ring = sent - buffer.getLongVolatile(base + QueueLayout.RECEIVED_OFFSET);
        final int spill = base + QueueLayout.SPILL_OFFSET;
        out.put("depth", Math.max(0, ring) + spilled(buffer, spill));
        out.put("maxsize", buffer.getInt(base + QueueLayout.MAXSIZE_OFFSET));
        out.put("capacity", buffer.getInt(base + QueueLayout.CAPACITY_OFFSET));
        out.put("producers", holders(session, buffer, base + QueueLayout.PRODUCERS_OFFSET));
        out.put("consumers", holders(session, buffer, base + QueueLayout.CONSUMERS_OFFSET));
        out.put("sent", sent);
        out.put("spilled", spilled(buffer, spill));
        out.put("spillBytes", Math.max(0, buffer.getLongVolatile(spill + SpillLayout.LIVE_BYTES_OFFSET)));
        if (entry.kind() == ObjectKind.JOINABLE_QUEUE)
        {
            out.put("unfinished", buffer.getLongVolatile(base + QueueLayout.UNFINISHED_OFFSET));
        }
        out.put("lock", SynchronizeDescriber.lock(session, base + QueueLayout.CONSUMER_LOCK_OFFSET));
    }

    /**
     * A PIPE entry, one per end: end, duplex, capacity, depth (values waiting for this end; not on end 1 of a
     * one-way pipe, which only sends), sentUnread (what it sent that the other end has not read; not on end 0 of a
     * one-way pipe, which only receives) and holders (live processes holding this end open). Read without a lock,
     * as {@link #queue} is.
     *
     * @param session the session, possibly attached read-only.
     * @param entry   the pipe end's directory entry; one shorter than {@link PipeLayout#HEADER_LENGTH} gets an
     *                "error" field instead.
     * @param out     the map the fields are put into.
     */
    public static void pipe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        if (entry.length() < PipeLayout.HEADER_LENGTH)
        {
            out.put("error", "a pipe's entry is shorter than its " + PipeLayout.HEADER_LENGTH + "-byte header");
            return;
        }
        final int base = Math.toIntExact(entry.offset());
        final AtomicBuffer buffer = session.buffer();
        final int end = (entry.flags() & PipeLayout.FLAG_END_1) != 0 ? 1 : 0;
        final boolean duplex = (entry.flags() & PipeLayout.FLAG_DUPLEX) != 0;
        out.put("end", end);
        out.put("duplex", duplex);
        out.put("capacity", buffer.getIntVolatile(base + PipeLayout.CAPACITY_OFFSET));
        if (duplex || end == 0)
        {
            out.put("depth", waiting(buffer, base, end));
        }
        if (duplex || end == 1)
        {
            out.put("sentUnread", waiting(buffer, base, 1 - end));
        }
        out.put("holders", holders(session, buffer, base + PipeLayout.holdersOffset(end)));
    }

    /** Values waiting in ring {@code ring} of a pipe and in its spill. */
    private static long waiting(final AtomicBuffer buffer, final int base, final int ring)
    {
        return Math.max(0, buffer.getLongVolatile(base + PipeLayout.writtenOffset(ring)) -
            buffer.getLongVolatile(base + PipeLayout.readOffset(ring))) +
            spilled(buffer, base + PipeLayout.spillOffset(ring));
    }

    /**
     * Live processes recorded in the {@link HoldersLayout} block at {@code at}: bit set, slot in the table, the
     * generation recorded still the slot's, and its process alive. Clears nothing, and makes no exception for
     * the inspecting process (which may belong to no session at all).
     */
    private static int holders(final Session session, final AtomicBuffer buffer, final int at)
    {
        final ProcessTable table = session.processTable();
        final long bits = buffer.getLongVolatile(at + HoldersLayout.BITS_OFFSET);
        int live = 0;
        for (int slot = 0; slot < Math.min(HoldersLayout.SLOTS, table.slotCount()); slot++)
        {
            final int recorded = buffer.getShortVolatile(
                at + HoldersLayout.GENERATIONS_OFFSET + HoldersLayout.GENERATION_ENTRY * slot) & 0xFFFF;
            if ((bits & (1L << slot)) != 0 && recorded == (table.generation(slot) & 0xFFFF) && table.isAlive(slot))
            {
                live++;
            }
        }
        return live;
    }

    /** Values in the spill whose header is at {@code at}. */
    private static long spilled(final AtomicBuffer buffer, final int at)
    {
        return Math.max(0, buffer.getLongVolatile(at + SpillLayout.TAIL_INDEX_OFFSET) -
            buffer.getLongVolatile(at + SpillLayout.HEAD_INDEX_OFFSET));
    }
}
