package mp4j.queues;

import mp4j.codec.ValueCodec;
import mp4j.session.DirectoryEntry;
import mp4j.session.Session;
import mp4j.session.SharedObject;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.EOFException;
import java.util.Map;

/**
 * One end of a {@link Pipe}, as Python's {@code multiprocessing.connection.Connection}: {@code send}, {@code recv},
 * {@code poll}, {@code close}. Sends and receives of one end are each serialized within a process; as in
 * Python, two processes must not use the same end at the same time (values would interleave or be lost).
 * <p>
 * {@code close()} closes this process's handle only. The other end sees EOF (recv throws {@link EOFException})
 * once no live process holds this end open and everything sent has been read; a killed process counts as closed.
 */
public final class Connection extends SharedObject implements AutoCloseable
{
    private static final long serialVersionUID = 1L;

    private final transient int end;
    private final transient boolean duplex;
    private final transient AtomicBuffer header;
    private final transient MessageRing in;
    private final transient MessageRing out;
    private final transient ValueCodec recvCodec = new ValueCodec();
    private final transient ValueCodec sendCodec = new ValueCodec();
    private final transient ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    private final transient Object sendLock = new Object();
    private final transient Object recvLock = new Object();
    private final transient Waiting sendWait;
    private final transient Waiting recvWait;
    private transient volatile boolean closed;

    /** Attaches to an end passed by another process. */
    Connection(final Session session, final DirectoryEntry entry)
    {
        this(session, entry, true);
    }

    Connection(final Session session, final DirectoryEntry entry, final boolean attached)
    {
        super(session, entry);
        final int base = Math.toIntExact(entry.offset());
        this.end = (entry.flags() & Pipe.FLAG_END_1) != 0 ? 1 : 0;
        this.header = new UnsafeBuffer(session.buffer(), base, Pipe.HEADER_LENGTH);
        final int capacity = header.getIntVolatile(Pipe.CAPACITY_OFFSET);
        if (capacity != entry.count() || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalStateException("Pipe '" + entry.name() + "' has a damaged header (ring capacity " +
                capacity + ", directory says " + entry.count() + ")");
        }
        this.duplex = (header.getInt(Pipe.FLAGS_OFFSET) & Pipe.FLAG_DUPLEX) != 0;
        this.in = duplex || end == 0 ? ring(session, base, capacity, end) : null;
        this.out = duplex ? ring(session, base, capacity, 1 - end) : end == 1 ? ring(session, base, capacity, 0) : null;
        this.sendWait = new Waiting(this::peerGone);
        this.recvWait = new Waiting(this::peerGone);
        Holders.open(session.name(), header, Pipe.holdersOffset(end), session.processTable());
        if (attached)
        {
            decrementTransit(header, end);
        }
    }

    /** Counts this end as held while a worker it is sent to starts; see {@link #peerGone}. */
    @Override
    protected void beforeSend()
    {
        header.putLongVolatile(Pipe.transitDeadlineOffset(end), System.currentTimeMillis() + Pipe.TRANSIT_GRACE_MS);
        header.getAndAddInt(Pipe.transitOffset(end), 1);
    }

    private static void decrementTransit(final AtomicBuffer header, final int end)
    {
        while (true)
        {
            final int inTransit = header.getIntVolatile(Pipe.transitOffset(end));
            if (inTransit <= 0 || header.compareAndSetInt(Pipe.transitOffset(end), inTransit, inTransit - 1))
            {
                return;
            }
        }
    }

    private MessageRing ring(final Session session, final int base, final int capacity, final int ring)
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(session.buffer(), base + Pipe.ringOffset(capacity, ring),
            capacity + RingBufferDescriptor.TRAILER_LENGTH);
        return new MessageRing(new OneToOneRingBuffer(bytes), header, Pipe.writtenOffset(ring), Pipe.readOffset(ring),
            false);
    }

    /** Sends {@code value} (any value {@link ValueCodec} encodes), waiting while the pipe is full. */
    public void send(final Object value) throws InterruptedException
    {
        if (out == null)
        {
            throw new IllegalStateException("connection '" + name() + "' is read-only: a Pipe(duplex=false) " +
                "sends from its second connection");
        }
        synchronized (sendLock)
        {
            checkOpen();
            final int length = sendCodec.encode(value, scratch, 0);
            if (Holders.noneRecorded(header, Pipe.holdersOffset(1 - end)) && peerGone())
            {
                throw broken();
            }
            if (out.tryWrite(scratch, 0, length))
            {
                return;
            }
            if (!out.write(scratch, 0, length, sendWait.lazy(-1)))
            {
                throw broken();
            }
        }
    }

    /**
     * Receives the next value, waiting for one.
     *
     * @throws EOFException when nothing is left to read and no process holds the other end open.
     */
    public Object recv() throws EOFException, InterruptedException
    {
        checkReadable();
        synchronized (recvLock)
        {
            checkOpen();
            final Object now = in.read(recvCodec, recvWait.lazy(-1));
            if (now != MessageRing.NOTHING)
            {
                return now;
            }
            final Waiting wait = recvWait;
            while (true)
            {
                Object value = in.read(recvCodec, wait);
                if (value != MessageRing.NOTHING)
                {
                    return value;
                }
                if (!wait.await(false))
                {
                    value = in.read(recvCodec, wait);
                    if (value != MessageRing.NOTHING)
                    {
                        return value;
                    }
                    throw new EOFException("connection '" + name() + "': the other end is closed (or its " +
                        "process is gone) and nothing is left to read");
                }
            }
        }
    }

    /** True when a value can be received now. */
    public boolean poll()
    {
        checkReadable();
        checkOpen();
        return in.hasMessage();
    }

    /**
     * Waits up to {@code timeoutMillis} for a value to arrive; also returns, true, at EOF, where recv will throw,
     * as Python's poll does.
     */
    public boolean poll(final long timeoutMillis) throws InterruptedException
    {
        checkReadable();
        checkOpen();
        if (in.hasMessage())
        {
            return true;
        }
        final Waiting wait = new Waiting(this::peerGone).start(timeoutMillis * 1_000_000L);
        while (!in.hasMessage())
        {
            if (!wait.await(false))
            {
                return in.hasMessage() || wait.otherSideGone();
            }
        }
        return true;
    }

    /** Closes this process's handle; idempotent. */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        Holders.close(session.name(), header, Pipe.holdersOffset(end));
    }

    /** Python's {@code closed}. */
    public boolean closed()
    {
        return closed;
    }

    public boolean readable()
    {
        return in != null;
    }

    public boolean writable()
    {
        return out != null;
    }

    /**
     * True when no live process holds the other end, and none is about to: an end sent to a worker counts from
     * its sending until the worker attaches (or, if it never does, for {@link Pipe#TRANSIT_GRACE_MS}).
     */
    private boolean peerGone()
    {
        final int peer = 1 - end;
        if (header.getIntVolatile(Pipe.transitOffset(peer)) > 0 &&
            System.currentTimeMillis() < header.getLongVolatile(Pipe.transitDeadlineOffset(peer)))
        {
            return false;
        }
        return Holders.noneRecorded(header, Pipe.holdersOffset(peer)) ||
            Holders.liveCount(header, Pipe.holdersOffset(peer), session.processTable()) == 0;
    }

    private BrokenPipeException broken()
    {
        return new BrokenPipeException("connection '" + name() + "': the other end is closed (or its process is " +
            "gone); nobody can receive");
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("connection '" + name() + "' is closed");
        }
    }

    private void checkReadable()
    {
        if (in == null)
        {
            throw new IllegalStateException("connection '" + name() + "' is write-only: a Pipe(duplex=false) " +
                "receives on its first connection");
        }
    }

    @Override
    public String toString()
    {
        return "Connection[" + name() + ", end " + end + (duplex ? ", duplex" : "") + (closed ? ", closed" : "") + "]";
    }

    /** Inspector: what this end has waiting, what it sent unread, who holds each end. */
    public static void describe(final Session session, final DirectoryEntry entry, final Map<String, Object> out)
    {
        final int base = Math.toIntExact(entry.offset());
        final AtomicBuffer buffer = session.buffer();
        final int end = (entry.flags() & Pipe.FLAG_END_1) != 0 ? 1 : 0;
        final boolean duplex = (entry.flags() & Pipe.FLAG_DUPLEX) != 0;
        out.put("end", end);
        out.put("duplex", duplex);
        out.put("capacity", buffer.getIntVolatile(base + Pipe.CAPACITY_OFFSET));
        if (duplex || end == 0)
        {
            out.put("depth", depth(buffer, base, end));
        }
        if (duplex || end == 1)
        {
            out.put("sentUnread", depth(buffer, base, 1 - end));
        }
        out.put("holders", Holders.countAlive(buffer, base + Pipe.holdersOffset(end), session.processTable()));
    }

    private static long depth(final AtomicBuffer buffer, final int base, final int ring)
    {
        return Math.max(0, buffer.getLongVolatile(base + Pipe.writtenOffset(ring)) -
            buffer.getLongVolatile(base + Pipe.readOffset(ring)));
    }
}
