package mp4j.queues;

import mp4j.codec.CodecException;
import mp4j.codec.ValueCodec;
import mp4j.session.Session;
import mp4j.session.SessionLifecycle;
import mp4j.synchronize.LockWord;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static mp4j.queues.SpillLayout.*;

/**
 * What makes an unbounded queue unbounded: values its ring has no room for go into segment files beside the
 * session file, read in order after the ring, each file freed as soon as it has been read (layout and the
 * crash rules: {@link SpillLayout}). Writers of any process append one at a time under the spill's lock; one
 * reader at a time (the owner's turn) reads. Once anything is spilled, writers keep spilling until the reader has
 * read it all and turned the spill IDLE again, so that the values of one writer stay in order.
 */
final class Spill
{
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 16);

    /** A mapped segment file. */
    private record Segment(int seq, int capacity, MappedByteBuffer mapped, UnsafeBuffer buffer)
    {
    }

    private final Session session;
    private final AtomicBuffer header;
    private final long headerOffset;
    private final LockWord lock;
    private final String owner;
    /** The writers' segment, used under the spill lock only. */
    private Segment tail;
    /** The reader's segment, used in the reader's turn only. */
    private Segment head;
    /** The writers' position when the reader last looked: until it reaches it, there is more to read. */
    private long seenTail;

    /**
     * @param headerOffset absolute offset of the spill header ({@link SpillLayout#HEADER_LENGTH} bytes, zero when
     *                     new) in the session file.
     * @param owner        what the errors name ("queue 'Queue-3'").
     */
    Spill(final Session session, final long headerOffset, final String owner)
    {
        this.session = session;
        this.headerOffset = headerOffset;
        this.header = new UnsafeBuffer(session.buffer(), Math.toIntExact(headerOffset), HEADER_LENGTH);
        this.lock = new LockWord(session, headerOffset + LOCK_OFFSET);
        this.owner = owner;
    }

    /** For tests that play a writer or reader killed half-way. */
    AtomicBuffer header()
    {
        return header;
    }

    boolean isActive()
    {
        return header.getIntVolatile(STATE_OFFSET) == ACTIVE;
    }

    /** Values spilled and not yet read. */
    long depth()
    {
        return Math.max(0, header.getLongVolatile(TAIL_INDEX_OFFSET) - header.getLongVolatile(HEAD_INDEX_OFFSET));
    }

    /**
     * Appends one encoded value, making the spill ACTIVE if it was not, and a new segment when the last is full.
     *
     * @throws IllegalStateException when the file system has no room for a new segment, or the session is ending.
     */
    void append(final DirectBuffer src, final int offset, final int length) throws InterruptedException
    {
        final boolean recovered = lock.acquire(lock.me(), LockWord.FOREVER) == LockWord.RECOVERED;
        try
        {
            if (recovered)
            {
                recoverWriters();
            }
            final int need = recordLength(length);
            Segment segment;
            int at;
            if (header.getInt(STATE_OFFSET) != ACTIVE)
            {
                segment = newSegment((int)header.getLong(LAST_SEQ_OFFSET) + 1, 0, length);
                unmap(tail);
                tail = segment;
                at = SEGMENT_HEADER;
                header.putLong(HEAD_OFFSET, position(segment.seq(), at)); // the reader starts where writers do
                header.putLong(TAIL_OFFSET, position(segment.seq(), at));
                header.putIntOrdered(STATE_OFFSET, ACTIVE);
            }
            else
            {
                final long position = header.getLong(TAIL_OFFSET);
                segment = writerSegment(seqOf(position));
                at = offsetOf(position);
                if ((long)at + need + RECORD_HEADER > segment.capacity())
                {
                    final Segment next = newSegment(segment.seq() + 1, segment.capacity(), length);
                    segment.buffer().putIntOrdered(at + RECORD_LENGTH_OFFSET, END);
                    header.putLongOrdered(TAIL_OFFSET, position(next.seq(), SEGMENT_HEADER));
                    unmap(tail);
                    tail = next;
                    segment = next;
                    at = SEGMENT_HEADER;
                }
            }
            final long index = header.getLong(TAIL_INDEX_OFFSET);
            final UnsafeBuffer bytes = segment.buffer();
            bytes.putInt(at + RECORD_INDEX_OFFSET, (int)index);
            bytes.putBytes(at + RECORD_HEADER, src, offset, length);
            bytes.putIntOrdered(at + RECORD_LENGTH_OFFSET, length);
            header.putLongOrdered(TAIL_INDEX_OFFSET, index + 1);
            header.putLongOrdered(TAIL_OFFSET, position(segment.seq(), at + need));
        }
        finally
        {
            lock.release();
        }
    }

    /**
     * After taking the lock from a writer that died holding it: counts in a record it wrote whole, follows an END
     * it wrote, and removes a segment it made for a spill it never turned ACTIVE.
     */
    private void recoverWriters()
    {
        if (header.getInt(STATE_OFFSET) != ACTIVE)
        {
            delete((int)header.getLong(LAST_SEQ_OFFSET));
            return;
        }
        while (true)
        {
            final long position = header.getLong(TAIL_OFFSET);
            final Segment segment = writerSegment(seqOf(position));
            final int at = offsetOf(position);
            final int length = segment.buffer().getIntVolatile(at + RECORD_LENGTH_OFFSET);
            if (length == END)
            {
                header.putLongOrdered(TAIL_OFFSET, position(segment.seq() + 1, SEGMENT_HEADER));
                continue;
            }
            if (length <= 0)
            {
                return;
            }
            final long index = header.getLong(TAIL_INDEX_OFFSET);
            if (segment.buffer().getInt(at + RECORD_INDEX_OFFSET) == (int)index)
            {
                header.putLongOrdered(TAIL_INDEX_OFFSET, index + 1);
            }
            header.putLongOrdered(TAIL_OFFSET, position(segment.seq(), at + recordLength(length)));
        }
    }

    /**
     * What one writer (a producing thread, a pipe end) last saw of the reader, so that it waits for a reader at work
     * and never again for one that has stopped, until it takes a value.
     */
    static final class ReaderWatch
    {
        private long taken = -1;
        private boolean stalled;
    }

    /**
     * Waits, while the reader is taking values, until it has taken all that are spilled and turned the spill IDLE,
     * so that a writer that spilled because its reader paused (a GC, a busy machine) goes back to the ring at the
     * reader's pace, rather than spilling, and paying the spill's cost on both sides, from then on. The reader takes
     * what is in {@code ring} first, so its progress there counts too. Gives up when the reader has taken nothing
     * for {@link MessageRing#READER_STALLED_NS} (and then returns at once on later calls until it takes a value), or
     * after {@link MessageRing#MAX_DRAIN_WAIT_NS}: the bounds of a writer's wait for room in a full ring, so a put
     * never waits for a reader that is not reading.
     *
     * @return true when the spill is IDLE: the writer may use the ring.
     */
    boolean awaitDrained(final ReaderWatch watch, final MessageRing ring)
    {
        final long taken = taken(ring);
        if (watch.stalled && taken == watch.taken)
        {
            return !isActive();
        }
        watch.taken = taken;
        watch.stalled = false;
        final long began = System.nanoTime();
        long movedAt = began;
        for (int spins = 0; isActive(); spins++)
        {
            if (spins < 64)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
            final long now = System.nanoTime();
            final long nowTaken = taken(ring);
            if (nowTaken != watch.taken)
            {
                watch.taken = nowTaken;
                movedAt = now;
            }
            else if (now - movedAt > MessageRing.READER_STALLED_NS)
            {
                watch.stalled = true;
                return false;
            }
            if (now - began > MessageRing.MAX_DRAIN_WAIT_NS)
            {
                return false;
            }
        }
        return true;
    }

    /** How far the reader has come: bytes passed in the ring plus values taken from the spill, both only grow. */
    private long taken(final MessageRing ring)
    {
        return ring.ring().consumerPosition() + header.getLongVolatile(HEAD_INDEX_OFFSET);
    }

    /** True when a spilled value is there for the reader. */
    boolean hasValue()
    {
        if (!isActive())
        {
            return false;
        }
        return depth() > 0;
    }

    /**
     * Reads the next spilled value, in the reader's turn.
     *
     * @return the value, or {@link MessageRing#NOTHING} when none is ready.
     * @throws CodecException when the value does not decode: it is taken off, and in the exception.
     */
    Object read(final ValueCodec codec)
    {
        if (!isActive())
        {
            return MessageRing.NOTHING;
        }
        while (true)
        {
            final long position = header.getLongVolatile(HEAD_OFFSET);
            final Segment segment = readerSegment(seqOf(position));
            final int at = offsetOf(position);
            final UnsafeBuffer bytes = segment.buffer();
            final int length = bytes.getIntVolatile(at + RECORD_LENGTH_OFFSET);
            if (length == 0)
            {
                return MessageRing.NOTHING;
            }
            if (length == END)
            {
                if (seqOf(header.getLongVolatile(TAIL_OFFSET)) == segment.seq())
                {
                    return MessageRing.NOTHING; // its writer has yet to move on (or died doing so): not freed yet
                }
                final int next = segment.seq() + 1;
                readerSegment(next);
                header.putLongOrdered(HEAD_OFFSET, position(next, SEGMENT_HEADER));
                delete(segment.seq());
                continue;
            }
            if (length < 0 || (long)at + recordLength(length) + RECORD_HEADER > segment.capacity())
            {
                throw new IllegalStateException(owner + ": spill segment " + path(segment.seq()) + " is corrupt " +
                    "(a record of " + length + " bytes at " + at + ")");
            }
            final long taken = header.getLong(HEAD_INDEX_OFFSET);
            final long after = position(segment.seq(), at + recordLength(length));
            if (bytes.getInt(at + RECORD_INDEX_OFFSET) - (int)taken < 0)
            {
                header.putLongOrdered(HEAD_OFFSET, after); // taken by a reader that died before moving on
                continue;
            }
            Object value = null;
            CodecException refused = null;
            try
            {
                value = codec.decode(bytes, at + RECORD_HEADER, length);
            }
            catch (final CodecException ex)
            {
                final byte[] encoded = new byte[length];
                bytes.getBytes(at + RECORD_HEADER, encoded);
                refused = ex.takenFrom(owner, encoded);
            }
            header.putLongOrdered(HEAD_INDEX_OFFSET, taken + 1);
            header.putLongOrdered(HEAD_OFFSET, after);
            if (refused != null)
            {
                throw refused;
            }
            return value;
        }
    }

    /**
     * Called by the reader after each read: if everything spilled has been read, turns the spill IDLE and frees its
     * last segment, so that writers go back to the ring and the memory goes back at once. Does nothing while a
     * writer holds the lock. Reads the writers' (busy) cache line only when the reader has caught up with where
     * they were when it last looked.
     */
    void retireIfDrained()
    {
        if (!isActive())
        {
            return;
        }
        final long position = header.getLongVolatile(HEAD_OFFSET);
        final int segmentsBehind = seqOf(seenTail) - seqOf(position);
        if (segmentsBehind > 0 || segmentsBehind == 0 && offsetOf(position) < offsetOf(seenTail))
        {
            return; // behind where the writers were when last looked: no need to look at their line again yet
        }
        seenTail = header.getLongVolatile(TAIL_OFFSET);
        if (position != seenTail)
        {
            return;
        }
        final int got = lock.acquire(lock.me(), 0);
        if (got == LockWord.TIMED_OUT)
        {
            return;
        }
        try
        {
            if (got == LockWord.RECOVERED)
            {
                recoverWriters();
            }
            final long tailPosition = header.getLong(TAIL_OFFSET);
            if (header.getInt(STATE_OFFSET) == ACTIVE && header.getLong(HEAD_OFFSET) == tailPosition)
            {
                header.putIntOrdered(STATE_OFFSET, IDLE);
                unmap(head);
                head = null;
                unmap(tail);
                tail = null;
                delete(seqOf(tailPosition));
            }
        }
        finally
        {
            lock.release();
        }
    }

    /** After the reader's turn was taken from a dead reader: the segment it may have left behind is freed. */
    void readerRecovered()
    {
        if (isActive())
        {
            delete(seqOf(header.getLongVolatile(HEAD_OFFSET)) - 1);
        }
    }

    private Segment writerSegment(final int seq)
    {
        if (tail == null || tail.seq() != seq)
        {
            unmap(tail);
            tail = null;
            tail = map(seq);
        }
        return tail;
    }

    private Segment readerSegment(final int seq)
    {
        if (head == null || head.seq() != seq)
        {
            unmap(head);
            head = null;
            head = map(seq);
        }
        return head;
    }

    private static void unmap(final Segment segment)
    {
        if (segment != null)
        {
            IoUtil.unmap(segment.mapped());
        }
    }

    private Path path(final int seq)
    {
        return session.sideFile(segmentTag(headerOffset, seq));
    }

    /**
     * Makes and maps segment {@code seq}, its pages written, so that a full file system fails here; the caller
     * makes it {@link #tail}.
     */
    private Segment newSegment(final int seq, final long previousCapacity, final int valueLength)
    {
        final long capacity = segmentCapacity(previousCapacity, valueLength);
        if (capacity > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(owner + ": a value of " + valueLength + " bytes is too big to queue");
        }
        header.putLongOrdered(LAST_SEQ_OFFSET, seq & 0xFFFF_FFFFL); // first, so a writer that dies here is mended
        if (!SessionLifecycle.beginMakingOutside())
        {
            throw new IllegalStateException(owner + ": this process is leaving its session, so it makes no new " +
                "spill segment for the value");
        }
        try
        {
            final Path path = path(seq);
            try (FileChannel channel = create(path))
            {
                try
                {
                    final ByteBuffer zeros = ZEROS.duplicate();
                    for (long at = 0; at < capacity; at += zeros.capacity())
                    {
                        zeros.clear().limit((int)Math.min(zeros.capacity(), capacity - at));
                        while (zeros.hasRemaining())
                        {
                            channel.write(zeros, at + zeros.position());
                        }
                    }
                }
                catch (final IOException ex)
                {
                    Files.deleteIfExists(path);
                    throw new IllegalStateException(owner + " cannot grow by " + capacity + " bytes: " +
                        ex.getMessage() + " (" + free(path) + " free in " + path.getParent() + "); free memory " +
                        "there, read the queue, or bound it with maxsize", ex);
                }
                final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
                final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
                buffer.putInt(SEGMENT_VERSION_OFFSET, VERSION);
                buffer.putLong(SEGMENT_CAPACITY_OFFSET, capacity);
                buffer.putLong(SEGMENT_SEQ_OFFSET, seq & 0xFFFF_FFFFL);
                buffer.putLongOrdered(SEGMENT_MAGIC_OFFSET, MAGIC);
                header.getAndAddLong(LIVE_BYTES_OFFSET, capacity);
                return new Segment(seq, (int)capacity, mapped, buffer);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(owner + " cannot make spill segment " + path(seq) + ": " + ex, ex);
        }
        finally
        {
            SessionLifecycle.doneMakingOutside();
        }
    }

    private static FileChannel create(final Path path) throws IOException
    {
        try
        {
            return open(path);
        }
        catch (final FileAlreadyExistsException ex)
        {
            Files.deleteIfExists(path); // made by a writer that died before it was used
            return open(path);
        }
    }

    private static FileChannel open(final Path path) throws IOException
    {
        return FileChannel.open(path, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }

    private static String free(final Path path)
    {
        try
        {
            final FileStore store = Files.getFileStore(path.getParent());
            return store.getUsableSpace() + " bytes";
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    /** Maps segment {@code seq} made by another writer, after checking it is one of ours. */
    private Segment map(final int seq)
    {
        final Path path = path(seq);
        try
        {
            final PosixFileAttributes attributes =
                Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || !OWNER_ONLY.containsAll(attributes.permissions()) ||
                !attributes.owner().getName().equals(System.getProperty("user.name")))
            {
                throw new IllegalStateException(owner + ": spill segment " + path + " is not a 0600 file of " +
                    System.getProperty("user.name") + "; refusing to read it");
            }
            try (FileChannel channel = FileChannel.open(path, Set.<OpenOption>of(StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)))
            {
                final long size = channel.size();
                if (size < SEGMENT_HEADER + RECORD_HEADER || size > Integer.MAX_VALUE)
                {
                    throw new IllegalStateException(owner + ": spill segment " + path + " has " + size + " bytes");
                }
                final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
                if (buffer.getLongVolatile(SEGMENT_MAGIC_OFFSET) != MAGIC ||
                    buffer.getInt(SEGMENT_VERSION_OFFSET) != VERSION ||
                    buffer.getLong(SEGMENT_CAPACITY_OFFSET) != size ||
                    buffer.getLong(SEGMENT_SEQ_OFFSET) != (seq & 0xFFFF_FFFFL))
                {
                    IoUtil.unmap(mapped);
                    throw new IllegalStateException(owner + ": spill segment " + path + " has a damaged header " +
                        "(or was made by another layout version than " + VERSION + ")");
                }
                return new Segment(seq, (int)size, mapped, buffer);
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalStateException(owner + ": spill segment " + path + " is gone (removed by hand, or " +
                "its session ended); the values in it are lost", ex);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            throw new IllegalStateException(owner + ": cannot map spill segment " + path + ": " + ex, ex);
        }
    }

    /**
     * Frees segment {@code seq}: truncated first, which returns its pages even while another process still maps
     * it (none touches a segment behind the head or one left IDLE), then removed.
     */
    private void delete(final int seq)
    {
        final Path path = path(seq);
        try
        {
            long size = 0;
            try (FileChannel channel = FileChannel.open(path, Set.<OpenOption>of(StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)))
            {
                size = channel.size();
                channel.truncate(0);
            }
            Files.deleteIfExists(path);
            header.getAndAddLong(LIVE_BYTES_OFFSET, -size);
        }
        catch (final NoSuchFileException ex)
        {
            // freed already (by a reader that died after, or it was never made)
        }
        catch (final IOException ex)
        {
            System.err.println("mp4j: " + owner + " cannot free spill segment " + path + ": " + ex.getMessage());
        }
    }
}
