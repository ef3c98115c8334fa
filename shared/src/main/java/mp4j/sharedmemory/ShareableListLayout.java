package mp4j.sharedmemory;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The bytes of CPython's {@code multiprocessing.shared_memory.ShareableList} (3.8 and later), which
 * {@link ShareableList} reads and writes byte for byte. A block of {@code /dev/shm} holds nothing else: no header
 * of ours, so Python attaches to it as to any of its own. With N items, all integers in native byte order
 * (little-endian on x86 and ARM) as CPython's {@code struct} packs them:
 * <pre>
 *   0        8          8 + 8*(N+1) = dataStart   dataStart + offsets[N]      + 8*N         + N
 *   +--------+----------+-------------------------+----------------------------+------------+
 *   | N      | offsets  | item slots              | formats                    | codes      |
 *   +--------+----------+-------------------------+----------------------------+------------+
 *
 *   offset                 size       field
 *   ---------------------- ---------- -------------------------------------------------------------------
 *   0                      8          N, the item count (int64)
 *   8                      8*(N+1)    allocated offsets: item i's slot starts at offsets[i] from the data
 *                                     start; offsets[0] = 0, offsets[N] = bytes of the data area
 *   dataStart = 8*(N+2)    offsets[N] the items' slots, packed, each a multiple of 8 bytes:
 *                                       int   "q"         int64
 *                                       float "d"         IEEE double
 *                                       bool  "xxxxxxx?"  7 zero bytes, then 0 or 1
 *                                       None  "xxxxxx?x"  8 zero bytes
 *                                       str   "&lt;L&gt;s"       UTF-8, NUL-padded to L bytes
 *                                       bytes "&lt;L&gt;s"       the bytes, NUL-padded to L bytes
 *   dataStart + offsets[N] 8*N        each item's struct format, ASCII, NUL-padded to 8 bytes
 *   ... + 8*N              N          each item's back-transform code (int8): 0 as packed (int, float,
 *                                     bool), 1 str, 2 bytes, 3 None
 * </pre>
 * The block is exactly that long ({@code struct.calcsize} of it all: {@link #requiredSize}), and an empty list
 * is {@link #EMPTY_LENGTH} bytes. A str or bytes slot is {@code L = 8 * (n / 8 + 1)} bytes for n bytes of value
 * (so there is always room for at least one NUL); a format is at most 8 characters, so L is at most
 * {@link #MAX_SLOT}. There is no version number and no lock: see {@link ShareableList} for what a reader can and
 * cannot see while another process writes.
 * <p>
 * {@link #problem} is the one check of a block against this layout; {@code launcher shm}, {@code launcher
 * inspect} and {@code scripts/inspect.py} ({@code shareable_list_problem}) apply it before they call a block a
 * ShareableList.
 */
public final class ShareableListLayout
{
    public static final int COUNT_OFFSET = 0;
    public static final int OFFSETS_OFFSET = 8;
    /** Slots, offsets and formats are multiples of this. */
    public static final int ALIGNMENT = 8;
    public static final int FORMAT_LENGTH = 8;
    /** An empty list: N = 0 and offsets[0] = 0. */
    public static final int EMPTY_LENGTH = 16;

    /** Back-transform codes. */
    public static final int CODE_PACKED = 0;
    public static final int CODE_STR = 1;
    public static final int CODE_BYTES = 2;
    public static final int CODE_NONE = 3;

    public static final String FORMAT_INT = "q";
    public static final String FORMAT_FLOAT = "d";
    public static final String FORMAT_BOOL = "xxxxxxx?";
    public static final String FORMAT_NONE = "xxxxxx?x";
    /** A format is at most 8 characters, so a str or bytes slot is at most "9999999s". */
    public static final int MAX_SLOT = 9_999_999;

    private ShareableListLayout()
    {
    }

    /** Reads of a block at absolute offsets: a mapped or copied block, or parts of a file. */
    public interface Bytes
    {
        long getLong(long at);

        byte getByte(long at);
    }

    /** Where allocated offset {@code i} (0..N) is. */
    public static long offsetAt(final int i)
    {
        return OFFSETS_OFFSET + 8L * i;
    }

    /** Where the item slots start in a list of {@code count} items. */
    public static long dataStart(final int count)
    {
        return 8L * (count + 2);
    }

    /** Where the formats start, after {@code dataLength} (offsets[N]) bytes of slots. */
    public static long formatsStart(final int count, final long dataLength)
    {
        return dataStart(count) + dataLength;
    }

    /** Where the back-transform codes start. */
    public static long codesStart(final int count, final long dataLength)
    {
        return formatsStart(count, dataLength) + (long)FORMAT_LENGTH * count;
    }

    /** Bytes of a list of {@code count} items with {@code dataLength} bytes of slots. */
    public static long requiredSize(final int count, final long dataLength)
    {
        return codesStart(count, dataLength) + count;
    }

    /** The n of a "&lt;n&gt;s" format, or -1. */
    public static long stringWidth(final String format)
    {
        if (format.length() < 2 || format.charAt(format.length() - 1) != 's')
        {
            return -1;
        }
        long width = 0;
        for (int i = 0; i < format.length() - 1; i++)
        {
            final char c = format.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            width = width * 10 + (c - '0');
        }
        return width;
    }

    /** A format's 8 bytes (ASCII, NUL-padded) as the long that holds them in memory, for one 8-byte store. */
    public static long formatWord(final String format)
    {
        long word = 0;
        for (int i = 0; i < format.length(); i++)
        {
            word |= (format.charAt(i) & 0xFFL) << (8 * i);
        }
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? word : Long.reverseBytes(word);
    }

    /** The format a format word holds, its NUL padding stripped as CPython does ({@code v.rstrip(b'\x00')}). */
    public static String formatOf(final long word)
    {
        final long bytes = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? word : Long.reverseBytes(word);
        int end = 8;
        while (end > 0 && ((bytes >>> (8 * (end - 1))) & 0xFF) == 0)
        {
            end--;
        }
        final char[] chars = new char[end];
        for (int i = 0; i < end; i++)
        {
            chars[i] = (char)((bytes >>> (8 * i)) & 0xFF);
        }
        return new String(chars);
    }

    /**
     * Why the bytes in {@code buffer} (a block of {@code size} bytes) are not a ShareableList, or null when they
     * are one. Checks the count, the offsets, the formats and codes against the size, reading only inside it.
     *
     * @param exactSize require the size CPython and mp4j give a list's block, no more (a block that merely
     *                  starts with zeros would otherwise pass as an empty list).
     */
    public static String problem(final DirectBuffer buffer, final long size, final boolean exactSize)
    {
        return problem(new Bytes()
        {
            @Override
            public long getLong(final long at)
            {
                return buffer.getLong((int)at);
            }

            @Override
            public byte getByte(final long at)
            {
                return buffer.getByte((int)at);
            }
        }, size, exactSize);
    }

    /** As {@link #problem(DirectBuffer, long, boolean)}, for a block read in parts: the count, offsets and tail. */
    public static String problem(final Bytes bytes, final long size, final boolean exactSize)
    {
        if (size < EMPTY_LENGTH)
        {
            return "it is " + size + " bytes, less than the " + EMPTY_LENGTH + " of an empty list";
        }
        final long n = bytes.getLong(COUNT_OFFSET);
        if (n < 0 || n > (size - EMPTY_LENGTH) / (8 + FORMAT_LENGTH + 1)) // an offset, a format, a code each
        {
            return "its item count " + n + " does not fit its " + size + " bytes";
        }
        final int count = (int)n;
        long previous = 0;
        for (int i = 0; i <= count; i++)
        {
            final long offset = bytes.getLong(offsetAt(i));
            if (i == 0 ? offset != 0 : offset < previous + ALIGNMENT || (offset - previous) % ALIGNMENT != 0)
            {
                return "offset " + i + " (" + offset + ") is not where a slot can start";
            }
            previous = offset;
        }
        final long required = requiredSize(count, previous);
        if (required > size || (exactSize && required != size))
        {
            return "a list of " + count + " items with " + previous + " bytes of data is " + required +
                " bytes, and the block is " + size;
        }
        long slotStart = 0;
        for (int i = 0; i < count; i++)
        {
            final String format = formatOf(bytes.getLong(formatsStart(count, previous) + (long)FORMAT_LENGTH * i));
            final int code = bytes.getByte(codesStart(count, previous) + i);
            final long slotEnd = bytes.getLong(offsetAt(i + 1));
            final String itemProblem = formatProblem(format, code, slotEnd - slotStart);
            if (itemProblem != null)
            {
                return "item " + i + " " + itemProblem;
            }
            slotStart = slotEnd;
        }
        return null;
    }

    /** Why an item's format and code cannot be in a slot of {@code slot} bytes, or null when they can. */
    public static String formatProblem(final String format, final int code, final long slot)
    {
        if (code < CODE_PACKED || code > CODE_NONE)
        {
            return "has back-transform code " + code + " (0..3 expected)";
        }
        switch (format)
        {
            case FORMAT_INT, FORMAT_FLOAT, FORMAT_BOOL ->
            {
                return code == CODE_PACKED ? null : "has format '" + format + "' with code " + code;
            }
            case FORMAT_NONE ->
            {
                return code == CODE_NONE || code == CODE_PACKED ? null : "has format '" + format + "' with code " + code;
            }
            default ->
            {
                final long width = stringWidth(format);
                if (width < 0)
                {
                    return "has format '" + format + "', which a ShareableList does not write";
                }
                return width <= slot ? null : "has format '" + format + "', wider than its " + slot + "-byte slot";
            }
        }
    }
}
