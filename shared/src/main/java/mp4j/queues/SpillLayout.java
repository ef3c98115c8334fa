package mp4j.queues;

/**
 * Where a queue or a pipe direction puts values its ring has no room for: a chain of segment files beside the
 * session file, each freed as soon as it has been read. This class owns both formats: the spill header, inside
 * the owner's bytes in the session file ({@link QueueLayout}, {@link PipeLayout}), and a segment file. All
 * integers little-endian.
 *
 * <h2>Spill header ({@link #HEADER_LENGTH} bytes, 64-byte aligned)</h2>
 * <pre>
 *   offset size  field         written by
 *   0      4     state         0 IDLE: nothing spilled, writers use the ring; 1 ACTIVE: writers append here
 *   4      4     reserved
 *   8      8     lastSeq       the newest segment's number                       writers, under the lock
 *   16     8     liveBytes     bytes of segment files not yet freed              writers add, the reader subtracts
 *   24     40    reserved
 *   64     8     tail          segment number &lt;&lt; 32 | offset of the next record  writers, under the lock
 *   72     8     tailIndex     records appended, ever                            writers, under the lock
 *   80     48    reserved
 *   128    8     head          segment number &lt;&lt; 32 | offset of the next record  the reader (one at a time)
 *   136    8     headIndex     records taken, ever                               the reader
 *   144    48    reserved
 *   192    32    lock          a {@code LockWord}: writers append under it; the reader takes it to go IDLE
 *   224    32    reserved
 * </pre>
 * Values spilled = tailIndex - headIndex. Segment numbers are 32-bit and follow one another: the segment after
 * {@code n} is {@code n + 1}.
 *
 * <h2>Segment file</h2>
 * {@code <session file>.s<spill header offset, hex>-<segment number>}, mode 0600, next to the session file (so
 * removing a session removes its segments: {@code SessionFiles.deleteSideFiles}). Its pages are written when it
 * is made, so that a full /dev/shm fails the put that needs it, with an error, rather than a later write with
 * SIGBUS.
 * <pre>
 *   +--------------+---------------------------------------------------------------+-----------+
 *   | header (64)  | record | record | ...                        (zero: not yet)    | room: END |
 *   +--------------+---------------------------------------------------------------+-----------+
 *   offset size  field
 *   0      8     magic "MP4JSPIL" (0x4C49505334504A4D as a little-endian long)
 *   8      4     layout version ({@link #VERSION})
 *   12     4     reserved
 *   16     8     capacity: bytes in the file
 *   24     8     segment number
 *   32     32    reserved
 *   64     ...   records, each at an 8-byte aligned offset:
 *                  0  4  length: &gt; 0 a value of that many bytes; -1 END, the next record is the first of
 *                        segment number + 1; 0 not written yet
 *                  4  4  index: the low 32 bits of the record's number (tailIndex when it was appended)
 *                  8  n  the value, encoded by {@code mp4j.codec.ValueCodec}
 * </pre>
 * A writer writes the index and the value, then the length, with a release store: a reader that sees a length
 * sees the rest. A writer killed before its length store leaves nothing (the next writer writes over it); one
 * killed after it leaves a whole record that the next writer, finding the lock taken from the dead, counts in
 * ({@code tailIndex}). A reader killed after taking a record and before moving {@code head} leaves one the next
 * reader recognises by its index and skips. Every segment keeps {@link #RECORD_HEADER} bytes free at its end, for
 * the END record.
 */
public final class SpillLayout
{
    /** Bytes of a spill header in its owner's bytes. */
    public static final int HEADER_LENGTH = 256;
    /** Offset of the state, an int: {@link #IDLE} or {@link #ACTIVE}. */
    public static final int STATE_OFFSET = 0;
    /** Offset of lastSeq, a long: the newest segment's number (its low 32 bits). */
    public static final int LAST_SEQ_OFFSET = 8;
    /** Offset of liveBytes, a long: bytes of segment files made and not yet freed. */
    public static final int LIVE_BYTES_OFFSET = 16;
    /** Offset of tail, a long {@link #position}: where the next record is appended. */
    public static final int TAIL_OFFSET = 64;
    /** Offset of tailIndex, a long: records ever appended. */
    public static final int TAIL_INDEX_OFFSET = 72;
    /** Offset of head, a long {@link #position}: the next record to read. */
    public static final int HEAD_OFFSET = 128;
    /** Offset of headIndex, a long: records ever taken. */
    public static final int HEAD_INDEX_OFFSET = 136;
    /** Offset of the spill's lock, a {@code LockWord}: writers append under it; the reader takes it to go IDLE. */
    public static final int LOCK_OFFSET = 192;

    /** State: nothing spilled; writers use the ring. */
    public static final int IDLE = 0;
    /** State: values are spilled; writers append here rather than to the ring, so values keep their order. */
    public static final int ACTIVE = 1;

    /** A segment file's first 8 bytes: "MP4JSPIL" read as a little-endian long. */
    public static final long MAGIC = 0x4C49505334504A4DL;
    /** The segment layout version this code writes and reads; a segment of another version is refused. */
    public static final int VERSION = 1;
    /** Bytes of a segment file's header; the first record follows it. */
    public static final int SEGMENT_HEADER = 64;
    /** Offset of {@link #MAGIC} in a segment file, a long. */
    public static final int SEGMENT_MAGIC_OFFSET = 0;
    /** Offset of the segment's {@link #VERSION}, an int. */
    public static final int SEGMENT_VERSION_OFFSET = 8;
    /** Offset of the segment's capacity, a long: bytes in the file, its header included. */
    public static final int SEGMENT_CAPACITY_OFFSET = 16;
    /** Offset of the segment's number, a long (its low 32 bits). */
    public static final int SEGMENT_SEQ_OFFSET = 24;

    /** Bytes of a record's header: its length and its index. */
    public static final int RECORD_HEADER = 8;
    /** Offset of a record's length, an int, in the record: &gt; 0 a value, {@link #END}, or 0 not written yet. */
    public static final int RECORD_LENGTH_OFFSET = 0;
    /** Offset of a record's index, an int, in the record: the low 32 bits of tailIndex when it was appended. */
    public static final int RECORD_INDEX_OFFSET = 4;
    /** The length of the record that ends a segment: the next record is the first of the next segment. */
    public static final int END = -1;

    /** The first segment; each next one doubles, up to {@link #MAX_SEGMENT}, or fits its value. */
    public static final int FIRST_SEGMENT = 1 << 20;
    /** The most bytes a segment grows to by doubling (64 MiB); one made for a bigger value is as big as it needs. */
    public static final int MAX_SEGMENT = 64 << 20;

    private SpillLayout()
    {
    }

    /**
     * A place in the chain of segments, as head and tail hold it.
     *
     * @param seq    the segment's number; its 32 bits are kept unsigned.
     * @param offset the byte offset in that segment's file.
     * @return {@code seq << 32 | offset}.
     */
    public static long position(final int seq, final int offset)
    {
        return (long)seq << 32 | (offset & 0xFFFF_FFFFL);
    }

    /**
     * The segment of a {@link #position}.
     *
     * @param position a head or tail.
     * @return the segment's number (the high 32 bits).
     */
    public static int seqOf(final long position)
    {
        return (int)(position >>> 32);
    }

    /**
     * The offset in its segment of a {@link #position}.
     *
     * @param position a head or tail.
     * @return the byte offset in the segment's file (the low 32 bits).
     */
    public static int offsetOf(final long position)
    {
        return (int)position;
    }

    /**
     * Bytes a record takes in a segment.
     *
     * @param valueLength bytes of the encoded value; not negative.
     * @return {@link #RECORD_HEADER} plus the value, rounded up to a multiple of 8 so the next record is aligned.
     */
    public static int recordLength(final int valueLength)
    {
        return (RECORD_HEADER + valueLength + 7) & ~7;
    }

    /**
     * The capacity of the next segment: twice the previous one, at least {@link #FIRST_SEGMENT} and at most
     * {@link #MAX_SEGMENT}, unless the value needs more.
     *
     * @param previous    the capacity of the segment before it in bytes; 0 or negative for the first segment.
     * @param valueLength bytes of the value it must hold (with its header and room for an END record after it).
     * @return the capacity in bytes, a multiple of 4096.
     */
    public static long segmentCapacity(final long previous, final int valueLength)
    {
        final long grown = previous <= 0 ? FIRST_SEGMENT : Math.min(MAX_SEGMENT, previous * 2);
        final long needed = SEGMENT_HEADER + (long)recordLength(valueLength) + RECORD_HEADER;
        return Math.max(grown, (needed + 4095) & ~4095L);
    }

    /**
     * The suffix of a segment's file name, after the session file's name and a dot.
     *
     * @param headerOffset the spill header's offset in the session file; the segment names which spill it is of.
     * @param seq          the segment's number, written unsigned.
     * @return {@code s<headerOffset in hex>-<seq>}, for example {@code s3c00-7}.
     */
    public static String segmentTag(final long headerOffset, final int seq)
    {
        return "s" + Long.toHexString(headerOffset) + "-" + Integer.toUnsignedString(seq);
    }
}
