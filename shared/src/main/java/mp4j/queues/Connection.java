package mp4j.queues;

import mp4j.codec.CodecException;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One end of a {@link Pipe}, as Python's {@code multiprocessing.connection.Connection}: {@code send}, {@code recv},
 * {@code poll}, {@code close}. Sends and receives of one end are each serialized within a process; as in
 * Python, two processes must not use the same end at the same time (values would interleave or be lost).
 * <p>
 * {@code close()} closes this process's handle only. The other end sees EOF (recv throws {@link EOFException})
 * once no live process holds this end open and everything sent has been read; a killed process counts as closed.
 */
public final class Connection extends SharedObject implements AutoCloseable, Waitable
{
    private static final long serialVersionUID = 1L;

    private final transient int end;
    private final transient boolean duplex;
    private final transient AtomicBuffer header;
    private final transient MessageRing in;
    private final transient MessageRing out;
    /** What ring {@code in}, or {@code out}, had no room for. */
    private final transient Spill inSpill;
    private final transient Spill outSpill;
    private final transient ValueCodec recvCodec = new ValueCodec();
    private final transient ValueCodec sendCodec = new ValueCodec();
    private final transient ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    /** Used under {@code sendLock}. */
    private final transient Spill.ReaderWatch outReader = new Spill.ReaderWatch();
    private final transient Object sendLock = new Object();
    private final transient Object recvLock = new Object();
    private final transient Waiting sendWait;
    private final transient Waiting recvWait;
    private transient volatile boolean closed;
    /** When {@link #ready()} may next ask whether the other end is gone (a liveness check per process). */
    private transient long nextGoneCheck;

    /** Attaches to an end passed by another process. */
    Connection(final Session session, final DirectoryEntry entry)
    {
        this(session, entry, true);
    }

    Connection(final Session session, final DirectoryEntry entry, final boolean attached)
    {
        super(session, entry);
        final int base = Math.toIntExact(entry.offset());
        this.end = (entry.flags() & PipeLayout.FLAG_END_1) != 0 ? 1 : 0;
        this.header = new UnsafeBuffer(session.buffer(), base, PipeLayout.HEADER_LENGTH);
        final int capacity = header.getIntVolatile(PipeLayout.CAPACITY_OFFSET);
        if (capacity != entry.count() || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalStateException("Pipe '" + entry.name() + "' has a damaged header (ring capacity " +
                capacity + ", directory says " + entry.count() + ")");
        }
        this.duplex = (header.getInt(PipeLayout.FLAGS_OFFSET) & PipeLayout.FLAG_DUPLEX) != 0;
        this.in = duplex || end == 0 ? ring(session, base, capacity, end) : null;
        final int outRing = duplex ? 1 - end : end == 1 ? 0 : -1;
        this.out = outRing >= 0 ? ring(session, base, capacity, outRing) : null;
        final String label = "connection '" + entry.name() + "'";
        this.inSpill = in != null ? new Spill(session, base + PipeLayout.spillOffset(end), label) : null;
        this.outSpill = out != null ? new Spill(session, base + PipeLayout.spillOffset(outRing), label) : null;
        this.sendWait = new Waiting(this::peerGone);
        this.recvWait = new Waiting(this::peerGone);
        Holders.open(session.name(), header, PipeLayout.holdersOffset(end), session.processTable());
        if (attached)
        {
            decrementTransit(header, end);
        }
    }

    /** Counts this end as held while a worker it is sent to starts; see {@link #peerGone}. */
    @Override
    protected void beforeSend()
    {
        header.putLongVolatile(PipeLayout.transitDeadlineOffset(end), System.currentTimeMillis() +
            Pipe.TRANSIT_GRACE_MS);
        header.getAndAddInt(PipeLayout.transitOffset(end), 1);
    }

    private static void decrementTransit(final AtomicBuffer header, final int end)
    {
        while (true)
        {
            final int inTransit = header.getIntVolatile(PipeLayout.transitOffset(end));
            if (inTransit <= 0 || header.compareAndSetInt(PipeLayout.transitOffset(end), inTransit, inTransit - 1))
            {
                return;
            }
        }
    }

    private MessageRing ring(final Session session, final int base, final int capacity, final int ring)
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(session.buffer(), base + PipeLayout.ringOffset(capacity, ring),
            capacity + RingBufferDescriptor.TRAILER_LENGTH);
        return new MessageRing(new OneToOneRingBuffer(bytes), header, PipeLayout.writtenOffset(ring),
            PipeLayout.readOffset(ring), false);
    }

    /**
     * Python's {@code send(obj)}: sends {@code value}; never waits for a reader (see {@link Pipe}).
     *
     * @param value any value {@link ValueCodec} encodes; later changes to the object are not seen.
     * @throws IllegalStateException when this handle is closed, or this end only receives.
     * @throws InterruptedException  when this thread is interrupted while it writes.
     */
    public void send(final Object value) throws InterruptedException
    {
        checkWritable();
        synchronized (sendLock)
        {
            checkOpen();
            sendEncoded(sendCodec.encode(value, scratch, 0));
        }
    }

    /**
     * Python's {@code send_bytes(buf)}: sends all of {@code buf}.
     *
     * @param buf the message.
     * @throws IllegalStateException when this handle is closed, or this end only receives.
     * @throws InterruptedException  when this thread is interrupted while it writes.
     */
    public void sendBytes(final byte[] buf) throws InterruptedException
    {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Python's {@code send_bytes(buf, offset, size)}: sends {@code size} bytes of {@code buf} from {@code offset},
     * with no copy on the way into the pipe. The other end reads them with {@link #recvBytes()}, or as a
     * {@code byte[]} with {@link #recv()}.
     *
     * @param buf    the source array.
     * @param offset the first byte sent, 0 or more.
     * @param size   how many bytes, 0 or more.
     * @throws IllegalArgumentException when the range is not inside {@code buf}.
     * @throws IllegalStateException when this handle is closed, or this end only receives.
     * @throws InterruptedException  when this thread is interrupted while it writes.
     */
    public void sendBytes(final byte[] buf, final int offset, final int size) throws InterruptedException
    {
        if (offset < 0)
        {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        if (buf.length < offset)
        {
            throw new IllegalArgumentException("buffer length " + buf.length + " < offset " + offset);
        }
        if (size < 0)
        {
            throw new IllegalArgumentException("size is negative: " + size);
        }
        if (buf.length - offset < size)
        {
            throw new IllegalArgumentException("buffer length " + buf.length + " < offset + size " + (offset + size));
        }
        checkWritable();
        synchronized (sendLock)
        {
            checkOpen();
            sendEncoded(ValueCodec.encodeBytes(buf, offset, size, scratch, 0));
        }
    }

    /**
     * Python's {@code recv_bytes()}: the bytes of the next message, waiting for one.
     *
     * @return the message's bytes (a value sent with {@link #send} comes as its encoding).
     * @throws EOFException         when nothing is left to read and no process holds the other end open.
     * @throws IllegalStateException when this handle is closed, or this end only sends.
     * @throws InterruptedException  when this thread is interrupted while it waits.
     */
    public byte[] recvBytes() throws EOFException, InterruptedException
    {
        return recvBytes(Integer.MAX_VALUE);
    }

    /**
     * Python's {@code recv_bytes(maxlength)}: the bytes of the next message, which may be at most {@code maxLength}
     * long. A message sent with {@link #send} of a value other than a byte[] comes as its encoded bytes (as Python
     * gives a pickle).
     *
     * @param maxLength the longest message accepted, 0 or more.
     * @return the message's bytes.
     * @throws BufferTooShort when the message is longer than {@code maxLength}. Python then raises OSError and the
     *         connection can no longer be read; here the message is in the exception and the pipe stays usable.
     * @throws IllegalArgumentException when {@code maxLength} is negative.
     * @throws EOFException         when nothing is left to read and no process holds the other end open.
     * @throws IllegalStateException when this handle is closed, or this end only sends.
     * @throws InterruptedException  when this thread is interrupted while it waits.
     */
    public byte[] recvBytes(final int maxLength) throws EOFException, InterruptedException
    {
        if (maxLength < 0)
        {
            throw new IllegalArgumentException("negative maxLength: " + maxLength);
        }
        final byte[] message = asBytes(recv());
        if (message.length > maxLength)
        {
            throw new BufferTooShort(message, "connection '" + name() + "': a message of " + message.length +
                " bytes is longer than maxLength " + maxLength);
        }
        return message;
    }

    /**
     * Python's {@code recv_bytes_into(buf)}: reads the next message into {@code buf} from its start.
     *
     * @param buf where to put it.
     * @return the message's length.
     * @throws BufferTooShort when it does not fit; the whole message is in the exception.
     * @throws EOFException         when nothing is left to read and no process holds the other end open.
     * @throws IllegalStateException when this handle is closed, or this end only sends.
     * @throws InterruptedException  when this thread is interrupted while it waits.
     */
    public int recvBytesInto(final byte[] buf) throws EOFException, InterruptedException
    {
        return recvBytesInto(buf, 0);
    }

    /**
     * Python's {@code recv_bytes_into(buf, offset)}: reads the next message into {@code buf} from {@code offset}
     * and returns its length.
     *
     * @param buf    where to put it.
     * @param offset where in {@code buf} it starts.
     * @return the message's length.
     * @throws BufferTooShort when it does not fit; the whole message is in the exception, as in Python.
     * @throws IllegalArgumentException when {@code offset} is outside {@code buf}.
     * @throws EOFException         when nothing is left to read and no process holds the other end open.
     * @throws IllegalStateException when this handle is closed, or this end only sends.
     * @throws InterruptedException  when this thread is interrupted while it waits.
     */
    public int recvBytesInto(final byte[] buf, final int offset) throws EOFException, InterruptedException
    {
        if (offset < 0 || offset > buf.length)
        {
            throw new IllegalArgumentException("offset " + offset + " is outside the buffer of " + buf.length +
                " bytes");
        }
        final byte[] message = asBytes(recv());
        if (message.length > buf.length - offset)
        {
            throw new BufferTooShort(message, "connection '" + name() + "': a message of " + message.length +
                " bytes does not fit the " + (buf.length - offset) + " bytes from offset " + offset);
        }
        System.arraycopy(message, 0, buf, offset, message.length);
        return message.length;
    }

    private byte[] asBytes(final Object value)
    {
        if (value instanceof byte[] bytes)
        {
            return bytes;
        }
        final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(64);
        final int length = new ValueCodec().encode(value, encoded, 0);
        final byte[] bytes = new byte[length];
        encoded.getBytes(0, bytes);
        return bytes;
    }

    private void checkWritable()
    {
        if (out == null)
        {
            throw new IllegalStateException("connection '" + name() + "' is read-only: a Pipe(duplex=false) " +
                "sends from its second connection");
        }
    }

    /**
     * Writes the {@code length} bytes encoded in {@code scratch}; the caller holds {@code sendLock}. Into the ring
     * while nothing is spilled and it has room for the whole value now (in fragments if need be: this end is its
     * only writer, so that room only grows), or a moment from now ({@link MessageRing#writeWhileReaderDrains});
     * else into the spill; once values are spilled, back into the ring as soon as a reader at work has taken them
     * all ({@link Spill#awaitDrained}). Never waits for a reader that is not taking values.
     */
    private void sendEncoded(final int length) throws InterruptedException
    {
        if (Holders.noneRecorded(header, PipeLayout.holdersOffset(1 - end)) && peerGone())
        {
            throw broken();
        }
        if (!outSpill.isActive() || outSpill.awaitDrained(outReader, out))
        {
            if (out.tryWrite(scratch, 0, length) || out.writeWhileReaderDrains(scratch, 0, length, () -> false))
            {
                return;
            }
            if (out.hasRoomFor(length))
            {
                if (!out.write(scratch, 0, length, sendWait.lazy(-1)))
                {
                    throw broken();
                }
                return;
            }
        }
        outSpill.append(scratch, 0, length);
    }

    /**
     * Python's {@code recv()}: receives the next value, waiting for one.
     *
     * @return the value, decoded in this process.
     * @throws EOFException         when nothing is left to read and no process holds the other end open.
     * @throws IllegalStateException when this handle is closed, or this end only sends.
     * @throws InterruptedException  when this thread is interrupted while it waits.
     */
    public Object recv() throws EOFException, InterruptedException
    {
        checkReadable();
        synchronized (recvLock)
        {
            checkOpen();
            final Object now = readNext(recvWait.lazy(-1));
            if (now != MessageRing.NOTHING)
            {
                return now;
            }
            final Waiting wait = recvWait;
            while (true)
            {
                Object value = readNext(wait);
                if (value != MessageRing.NOTHING)
                {
                    return value;
                }
                if (!wait.await(false))
                {
                    value = readNext(wait);
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

    /**
     * The ring's next value, else the spill's; {@link MessageRing#NOTHING} when none is ready. The caller holds
     * {@code recvLock}.
     *
     * @throws mp4j.codec.CodecException when the value may not be deserialized here: it is taken off the pipe, and
     *         kept in the exception.
     */
    private Object readNext(final Waiting wait) throws InterruptedException
    {
        Object value;
        try
        {
            value = in.read(recvCodec, wait);
        }
        catch (final CodecException ex)
        {
            throw ex.takenFrom("connection '" + name() + "'", ex.encoded());
        }
        if (value == MessageRing.NOTHING)
        {
            // what was spilled comes after what is in the ring, however late the ring's reader saw it (QueueCore)
            value = inSpill.hasValue() && in.isDrained() ? inSpill.read(recvCodec) : MessageRing.NOTHING;
            inSpill.retireIfDrained(); // the last value read, or none: its memory goes back now
        }
        return value;
    }

    /**
     * Python's {@code poll()}: whether a value can be received now, without waiting.
     *
     * @return true when there is one.
     */
    public boolean poll()
    {
        checkReadable();
        checkOpen();
        return hasValue();
    }

    private boolean hasValue()
    {
        return in.hasMessage() || inSpill.hasValue() && in.isDrained();
    }

    /**
     * Waits up to {@code timeoutMillis} for a value to arrive; also returns, true, at EOF, where recv will throw,
     * as Python's poll does.
     *
     * @param timeoutMillis how long to wait, in milliseconds.
     * @return true when a value arrived (or at EOF), false when the time ran out.
     * @throws InterruptedException when this thread is interrupted while it waits.
     */
    public boolean poll(final long timeoutMillis) throws InterruptedException
    {
        checkReadable();
        checkOpen();
        if (hasValue())
        {
            return true;
        }
        final Waiting wait = new Waiting(this::peerGone).start(timeoutMillis * 1_000_000L);
        while (!hasValue())
        {
            if (!wait.await(false))
            {
                return hasValue() || wait.otherSideGone();
            }
        }
        return true;
    }

    /**
     * For {@link #wait(Collection, long)}: true when a value can be received now, or when {@link #recv} would
     * raise EOFException (the other end closed or gone, nothing left), as Python's {@code wait} reports a
     * connection readable at end of file.
     */
    @Override
    public boolean ready()
    {
        checkReadable();
        checkOpen();
        if (hasValue())
        {
            return true;
        }
        final long now = System.nanoTime();
        if (now - nextGoneCheck < 0)
        {
            return false;
        }
        nextGoneCheck = now + Waiting.LIVENESS_CHECK_NS;
        return peerGone() || hasValue();
    }

    /**
     * Python's {@code multiprocessing.connection.wait(object_list)}: waits until at least one of {@code objects}
     * is ready ({@link Waitable}: connections, queues, process sentinels) and returns those that are, in their
     * order.
     *
     * @param objects what to wait on.
     * @return the objects ready now, in their order; never empty.
     * @throws InterruptedException when this thread is interrupted while it waits.
     */
    public static List<Waitable> wait(final Collection<? extends Waitable> objects) throws InterruptedException
    {
        return waitFor(objects, -1);
    }

    /**
     * Python's {@code multiprocessing.connection.wait(object_list, timeout)}.
     *
     * @param objects       what to wait on.
     * @param timeoutMillis how long to wait, in milliseconds; 0 only looks.
     * @return the objects ready now, in their order; empty when none was within {@code timeoutMillis}.
     * @throws IllegalArgumentException for a negative timeout; {@link #wait(Collection)} waits without a limit.
     * @throws InterruptedException     when this thread is interrupted while it waits.
     */
    public static List<Waitable> wait(final Collection<? extends Waitable> objects, final long timeoutMillis)
        throws InterruptedException
    {
        if (timeoutMillis < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeoutMillis + " ms; use " +
                "wait(objects) to wait without a limit");
        }
        return waitFor(objects, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    private static List<Waitable> waitFor(final Collection<? extends Waitable> objects, final long timeoutNanos)
        throws InterruptedException
    {
        final Waiting wait = new Waiting(() -> false).lazy(timeoutNanos);
        while (true)
        {
            final List<Waitable> ready = new ArrayList<>();
            for (final Waitable object : objects)
            {
                if (object.ready())
                {
                    ready.add(object);
                }
            }
            if (!ready.isEmpty() || !wait.await(false))
            {
                return ready;
            }
        }
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
        Holders.close(session.name(), header, PipeLayout.holdersOffset(end));
    }

    /**
     * Python's {@code closed}.
     *
     * @return true after this process's {@link #close()}.
     */
    public boolean closed()
    {
        return closed;
    }

    /**
     * Python's {@code readable}.
     *
     * @return false for the sending end of a {@code Pipe(duplex=false)}.
     */
    public boolean readable()
    {
        return in != null;
    }

    /**
     * Python's {@code writable}.
     *
     * @return false for the receiving end of a {@code Pipe(duplex=false)}.
     */
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
        if (header.getIntVolatile(PipeLayout.transitOffset(peer)) > 0 &&
            System.currentTimeMillis() < header.getLongVolatile(PipeLayout.transitDeadlineOffset(peer)))
        {
            return false;
        }
        return Holders.noneRecorded(header, PipeLayout.holdersOffset(peer)) ||
            Holders.liveCount(header, PipeLayout.holdersOffset(peer), session.processTable()) == 0;
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
}
