package mp4j.pool;

import mp4j.session.DirectoryEntry;
import mp4j.session.ProcessTable;
import mp4j.session.Session;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of one {@link Pool} in the session's data area (directory kind POOL; the session file's layout is in
 * {@link mp4j.session.SessionLayout}). Each worker position has two Agrona {@link OneToOneRingBuffer}s: tasks
 * from the pool's owner to the worker, results back. One writer and one reader per ring means a worker killed
 * mid-write wedges nobody but its own position, which the owner resets before starting its replacement.
 * <pre>
 *   0          HEADER_LENGTH (64)    64 + STRIDE                                 64 + workers * STRIDE
 *   +----------+---------------------+----------------------+-----+----------------------+
 *   | header   | worker position 0   | worker position 1    | ... | position workers-1   |
 *   +----------+---------------------+----------------------+-----+----------------------+
 *   a position: +---------------------+--------------------------+--------------------------+
 *               | position header (64)| task ring (RING)         | result ring (RING)       |
 *               +---------------------+--------------------------+--------------------------+
 *
 *  offset          size      field          meaning
 *  --------------- --------- -------------- ----------------------------------------------------------------
 *     0               4      workers        number of worker positions (the pool's processes)
 *     4               4      ringCapacity   data bytes of each ring, a power of two
 *     8               4      state          1 RUNNING, 2 CLOSING (no new tasks), 3 STOPPED (its bytes may be
 *                                           reused by a new pool of the same size: 4 while it takes them)
 *    12               4      ownerSlot      process slot of the process that made the pool
 *    16              48      reserved
 *    64 + w*STRIDE           worker position w (0 .. workers-1), STRIDE = 64 + 2 * RING:
 *       +0            4      processSlot    process slot of the worker now at this position, -1 between two
 *       +4            4      starts         processes started at this position so far (1 + replacements)
 *       +8            8      tasksSent      tasks the owner has given this position
 *      +16            4      ready          1 once the worker has run its initializer and waits for tasks
 *      +20            4      asleep         1 while the worker waits at its doorbell (its stdin; see
 *                                           mp4j.process.Doorbell): it writes 1, looks at its task ring and probe
 *                                           once more, then blocks; the owner, having written a task or probe,
 *                                           rings when it reads 1
 *      +24            8      probe          the owner asks: "do you see the tasks I wrote?" (a new number)
 *      +32            8      probeAnswered  the worker copies probe here when it polled its task ring after
 *                                           reading probe and found nothing to read: every task written before
 *                                           the probe has then been run and its result written
 *      +40           24      reserved
 *      +64         RING      task ring      owner -> worker: Agrona ring, RING = ringCapacity + 768 (trailer)
 *      +64+RING    RING      result ring    worker -> owner
 * </pre>
 * Messages on the rings are described in {@link PoolMessages}, framed on each ring as
 * {@link mp4j.queues.RingFraming} draws it.
 * <p>
 * Damage. Each ring's positions (Agrona's trailer: tail, head cache, head) have one writer each; the owner checks
 * the ones it writes before each use and the worker's against the rules they keep (never backwards, head behind
 * tail by at most the capacity), so bytes overwritten by something outside mp4j break the pool with an error
 * instead of losing a task. A task lost anyway (a record overwritten in the ring) is found by the probe: a worker
 * that answers the probe without the task's result will never send it.
 */
public final class PoolLayout
{
    /** Bytes of the pool header, before worker position 0. */
    public static final int HEADER_LENGTH = 64;
    /** Offset in the header of the 4-byte number of worker positions. */
    public static final int WORKERS_OFFSET = 0;
    /** Offset in the header of the 4-byte data capacity of each ring, in bytes (a power of two). */
    public static final int RING_CAPACITY_OFFSET = 4;
    /** Offset in the header of the 4-byte state: RUNNING, CLOSING, STOPPED or REUSED (the constants below). */
    public static final int STATE_OFFSET = 8;
    /** Offset in the header of the 4-byte process slot of the pool's owner (the process that made it). */
    public static final int OWNER_SLOT_OFFSET = 12;

    /** Bytes of a worker position's header, before its task ring. */
    public static final int POSITION_HEADER_LENGTH = 64;
    /** Offset in a position of the 4-byte process slot of its current worker; -1 while it has none. */
    public static final int PROCESS_SLOT_OFFSET = 0;
    /** Offset in a position of the 4-byte count of workers started there: 1 plus its replacements. */
    public static final int STARTS_OFFSET = 4;
    /** Offset in a position of the 8-byte count of tasks the owner has written to its task ring. */
    public static final int TASKS_SENT_OFFSET = 8;
    /** Offset in a position of the 4-byte ready flag: 1 once its worker ran the initializer and polls for tasks. */
    public static final int READY_OFFSET = 16;
    /** Offset in a position of the 4-byte asleep flag: 1 while its worker blocks at its doorbell, to be rung. */
    public static final int ASLEEP_OFFSET = 20;
    /** Offset in a position of the 8-byte probe number the owner writes to ask whether its tasks were seen. */
    public static final int PROBE_OFFSET = 24;
    /** Offset in a position of the 8-byte last probe the worker answered, having found its task ring empty. */
    public static final int PROBE_ANSWERED_OFFSET = 32;

    /** State: taking tasks. */
    public static final int RUNNING = 1;
    /** State: closed to new tasks; the ones given are still being run. */
    public static final int CLOSING = 2;
    /** State: finished or terminated; its bytes may be taken by a new pool of the same size. */
    public static final int STOPPED = 3;
    /** State: a new pool is taking a stopped pool's bytes (it then writes {@link #RUNNING}). */
    public static final int REUSED = 4;

    /** 64 KiB rings carry messages up to 8 KiB in one piece; longer ones go in fragments. */
    public static final int DEFAULT_RING_CAPACITY = Integer.getInteger("mp4j.pool.ringCapacity", 64 * 1024);

    private PoolLayout()
    {
    }

    /**
     * Bytes one ring occupies: its data plus Agrona's trailer ({@link RingBufferDescriptor#TRAILER_LENGTH}).
     *
     * @param ringCapacity the ring's data capacity in bytes, a power of two
     * @return {@code ringCapacity} plus the trailer length
     */
    public static int ringLength(final int ringCapacity)
    {
        return ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Bytes of one worker position: its header and its two rings; position {@code w} starts {@code w} strides after
     * the pool header.
     *
     * @param ringCapacity each ring's data capacity in bytes, a power of two
     * @return {@link #POSITION_HEADER_LENGTH} plus two {@link #ringLength(int) ring lengths}
     */
    public static int stride(final int ringCapacity)
    {
        return POSITION_HEADER_LENGTH + 2 * ringLength(ringCapacity);
    }

    /**
     * Bytes a pool of {@code workers} positions needs in the data area: what {@link Pool} allocates.
     *
     * @param workers      number of worker positions (the pool's processes), not negative
     * @param ringCapacity each ring's data capacity in bytes
     * @return the pool's whole length, as a long: a large pool may not fit an int
     * @throws IllegalArgumentException if {@code ringCapacity} is not a power of two
     */
    public static long length(final int workers, final int ringCapacity)
    {
        if (!BitUtil.isPowerOfTwo(ringCapacity))
        {
            throw new IllegalArgumentException("ring capacity must be a power of two, got " + ringCapacity);
        }
        return HEADER_LENGTH + (long)workers * stride(ringCapacity);
    }

    /**
     * Where worker position {@code w} starts. No bounds are checked: {@code w} must be below the pool's workers.
     *
     * @param base         offset of the pool's first byte in the session buffer
     * @param ringCapacity the pool's ring capacity in bytes, from its header
     * @param w            the worker position, 0 to workers - 1
     * @return the position's offset in the session buffer (an absolute offset, as {@code base} is)
     */
    public static int position(final int base, final int ringCapacity, final int w)
    {
        return base + HEADER_LENGTH + w * stride(ringCapacity);
    }

    /**
     * A view of a position's task ring (owner to worker). Each call wraps the same bytes anew; the ring keeps its
     * state in them, not in the view.
     *
     * @param session      the session file's whole buffer
     * @param position     the worker position's offset in it, from {@link #position(int, int, int)}
     * @param ringCapacity the pool's ring capacity in bytes
     * @return a ring over the task ring's bytes
     */
    public static OneToOneRingBuffer taskRing(final AtomicBuffer session, final int position, final int ringCapacity)
    {
        return new OneToOneRingBuffer(
            new UnsafeBuffer(session, position + POSITION_HEADER_LENGTH, ringLength(ringCapacity)));
    }

    /**
     * A view of a position's result ring (worker to owner), just after its task ring.
     *
     * @param session      the session file's whole buffer
     * @param position     the worker position's offset in it, from {@link #position(int, int, int)}
     * @param ringCapacity the pool's ring capacity in bytes
     * @return a ring over the result ring's bytes
     */
    public static OneToOneRingBuffer resultRing(final AtomicBuffer session, final int position, final int ringCapacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(
            session, position + POSITION_HEADER_LENGTH + ringLength(ringCapacity), ringLength(ringCapacity)));
    }

    /**
     * Empties both rings of a position and clears its ready and asleep flags, for the replacement of a dead worker.
     * Only when neither end is in use (its worker is dead or not started): a live reader or writer would see torn
     * rings.
     *
     * @param session      the session file's whole buffer
     * @param position     the worker position's offset in it, from {@link #position(int, int, int)}
     * @param ringCapacity the pool's ring capacity in bytes
     */
    public static void resetRings(final AtomicBuffer session, final int position, final int ringCapacity)
    {
        session.setMemory(position + POSITION_HEADER_LENGTH, 2 * ringLength(ringCapacity), (byte)0);
        session.putIntOrdered(position + READY_OFFSET, 0);
        session.putIntOrdered(position + ASLEEP_OFFSET, 0);
    }

    /**
     * What {@code launcher inspect} shows for a POOL entry: state, ring capacity, and per worker position its
     * process, counters and the bytes waiting in each ring ({@code docs/inspect-json.md}, kind POOL). Reads without
     * locking; a header that disagrees with the entry adds an {@code error} field rather than throwing.
     *
     * @param session the session the entry belongs to
     * @param entry   a directory entry of kind POOL; one shorter than the header, or out of bounds, adds nothing
     * @param out     the entry's map, to which the fields are added
     */
    public static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        final AtomicBuffer buffer = session.buffer();
        final int base = (int)entry.offset();
        if (entry.length() < HEADER_LENGTH || !session.directory().isInBounds(entry))
        {
            return;
        }
        final int workers = buffer.getInt(base + WORKERS_OFFSET);
        final int ringCapacity = buffer.getInt(base + RING_CAPACITY_OFFSET);
        final int state = buffer.getIntVolatile(base + STATE_OFFSET);
        out.put("state", state == RUNNING ? "RUNNING" : state == CLOSING ? "CLOSING" : state == STOPPED ? "STOPPED" :
            state == REUSED ? "REUSED" :
            "UNKNOWN(" + state + ")");
        out.put("ringCapacity", ringCapacity);
        if (workers < 0 || workers > 4096 || !BitUtil.isPowerOfTwo(ringCapacity) ||
            length(workers, ringCapacity) > entry.length())
        {
            out.put("error", "pool header disagrees with its directory entry");
            return;
        }
        final ProcessTable table = session.processTable();
        final List<Object> positions = new ArrayList<>();
        for (int w = 0; w < workers; w++)
        {
            final int at = position(base, ringCapacity, w);
            final Map<String, Object> position = new LinkedHashMap<>();
            final int slot = buffer.getIntVolatile(at + PROCESS_SLOT_OFFSET);
            position.put("position", w);
            position.put("slot", slot);
            if (slot > 0 && slot < table.slotCount())
            {
                position.put("pid", table.pid(slot));
                position.put("alive", table.isAlive(slot));
                position.put("tasksDone", table.counter(slot, 0));
                position.put("tasksFailed", table.counter(slot, 1));
                position.put("tasksInFlight", table.counter(slot, 2));
            }
            position.put("starts", buffer.getInt(at + STARTS_OFFSET));
            position.put("tasksSent", buffer.getLongVolatile(at + TASKS_SENT_OFFSET));
            position.put("ready", buffer.getIntVolatile(at + READY_OFFSET) == 1);
            position.put("asleep", buffer.getIntVolatile(at + ASLEEP_OFFSET) == 1);
            position.put("taskRingBytes", taskRing(buffer, at, ringCapacity).size());
            position.put("resultRingBytes", resultRing(buffer, at, ringCapacity).size());
            positions.add(position);
        }
        out.put("workers", positions);
    }
}
