package mp4j.queues;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import org.agrona.BitUtil;

/**
 * Python's {@code multiprocessing.Pipe(duplex)}: two {@link Connection}s over rings in the session's data area.
 * Duplex (the default), each end sends and receives; otherwise {@code conn1} only receives and {@code conn2}
 * only sends, as in Python. Pass a connection to a worker as an argument: the worker attaches to the same rings.
 * A send never waits for the reader: what a ring has no room for goes to its spill files, freed as they are read
 * (so the Python caveat of two processes deadlocked sending to each other does not apply). Bytes:
 * {@link PipeLayout}.
 *
 * @param conn1 end 0: receives only when not duplex.
 * @param conn2 end 1: sends only when not duplex.
 */
public record Pipe(Connection conn1, Connection conn2)
{
    /** Ring bytes per direction unless told: Linux's pipe buffer is 64 KiB; more ring lets a burst through. */
    public static final int DEFAULT_CAPACITY = 256 * 1024;

    /** How long an end sent to a worker counts as held before the worker attaches (JVM start on a busy machine). */
    static final long TRANSIT_GRACE_MS = 60_000;

    /**
     * Python's {@code Pipe()}, duplex, in the current session.
     *
     * @return the two connected ends; each sends and receives.
     */
    public static Pipe create()
    {
        return create(true);
    }

    /**
     * Python's {@code Pipe(duplex)} in the current session.
     *
     * @param duplex true for two ends that both send and receive; false for a receiving end (the first) and a
     *               sending end (the second), as Python's.
     * @return the two connected ends.
     */
    public static Pipe create(final boolean duplex)
    {
        return create(Session.current(), null, duplex, DEFAULT_CAPACITY);
    }

    /**
     * A pipe in {@code session}, which need not be the current one, with rings of its own size.
     *
     * @param session  the session whose file holds it.
     * @param name     null for a generated one ("Pipe-7"; end 1 is "Pipe-7.1").
     * @param duplex   true for two ends that both send and receive; false for a receiving and a sending end.
     * @param capacity ring bytes per direction, rounded up to a power of two; the largest single record is an
     *                 eighth of it, larger values go in fragments, or to the spill.
     * @return the two connected ends.
     */
    public static Pipe create(final Session session, final String name, final boolean duplex, final int capacity)
    {
        if (capacity < PipeLayout.MIN_CAPACITY || capacity > PipeLayout.MAX_CAPACITY)
        {
            throw new IllegalArgumentException("pipe capacity must be between 1 KiB and 1 GiB, got " + capacity);
        }
        final int ringCapacity = BitUtil.findNextPositivePowerOfTwo(capacity);
        final long length = PipeLayout.length(ringCapacity, duplex);
        final long offset = session.allocate(length);
        session.buffer().putInt((int)offset + PipeLayout.CAPACITY_OFFSET, ringCapacity);
        final int flags = duplex ? PipeLayout.FLAG_DUPLEX : 0;
        session.buffer().putIntOrdered((int)offset + PipeLayout.FLAGS_OFFSET, flags);
        final DirectoryEntry end0 = session.directory().add(ObjectKind.PIPE, name, 0, offset, length, -1,
            ringCapacity, flags);
        final DirectoryEntry end1 = session.directory().add(ObjectKind.PIPE, end0.name() + ".1", 0, offset, length,
            -1, ringCapacity, flags | PipeLayout.FLAG_END_1);
        return new Pipe(new Connection(session, end0, false), new Connection(session, end1, false));
    }
}
