package mp4j.sharedmemory;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

import static mp4j.sharedmemory.ShareableListLayout.ALIGNMENT;
import static mp4j.sharedmemory.ShareableListLayout.CODE_BYTES;
import static mp4j.sharedmemory.ShareableListLayout.CODE_NONE;
import static mp4j.sharedmemory.ShareableListLayout.CODE_PACKED;
import static mp4j.sharedmemory.ShareableListLayout.CODE_STR;
import static mp4j.sharedmemory.ShareableListLayout.COUNT_OFFSET;
import static mp4j.sharedmemory.ShareableListLayout.FORMAT_BOOL;
import static mp4j.sharedmemory.ShareableListLayout.FORMAT_LENGTH;
import static mp4j.sharedmemory.ShareableListLayout.FORMAT_FLOAT;
import static mp4j.sharedmemory.ShareableListLayout.FORMAT_INT;
import static mp4j.sharedmemory.ShareableListLayout.FORMAT_NONE;
import static mp4j.sharedmemory.ShareableListLayout.MAX_SLOT;
import static mp4j.sharedmemory.ShareableListLayout.dataStart;
import static mp4j.sharedmemory.ShareableListLayout.codesStart;
import static mp4j.sharedmemory.ShareableListLayout.formatOf;
import static mp4j.sharedmemory.ShareableListLayout.formatProblem;
import static mp4j.sharedmemory.ShareableListLayout.formatWord;
import static mp4j.sharedmemory.ShareableListLayout.formatsStart;
import static mp4j.sharedmemory.ShareableListLayout.offsetAt;
import static mp4j.sharedmemory.ShareableListLayout.problem;
import static mp4j.sharedmemory.ShareableListLayout.requiredSize;
import static mp4j.sharedmemory.ShareableListLayout.stringWidth;

/**
 * CPython's {@code multiprocessing.shared_memory.ShareableList}, byte for byte: a fixed-length list of
 * {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]} and {@code null} (Python's int,
 * float, bool, str, bytes, None) in a {@link SharedMemory} block, that Python reads with
 * {@code ShareableList(name="...")} and Java with {@link #attach(String)}, whichever made it.
 * <pre>{@code
 * ShareableList list = ShareableList.create("config", List.of(42L, 2.5, true, "héllo", new byte[] {1, 2}));
 * // Python: sl = ShareableList(name="config"); sl[3] == 'héllo'; sl[0] = 7
 * list.get(0);      // 7L
 * list.set(3, "hi"); // a str or bytes must fit the slot allocated at creation
 * }</pre>
 *
 * <h2>Layout</h2>
 * CPython's bytes, drawn in {@link ShareableListLayout}: the count, the slots' offsets, the slots, each item's
 * {@code struct} format and its back-transform code.
 * A str or bytes slot holds n bytes of value in {@code 8 * (n / 8 + 1)} bytes. CPython 3.8–3.13 count a str's characters rather than its UTF-8 bytes there (gh-88336), so it cuts
 * non-ASCII text at creation; mp4j counts bytes, which gives the same slots for ASCII and never cuts text —
 * the layout stays one Python reads. Reading strips trailing NULs, as CPython does ({@code "a\0"} reads back
 * as {@code "a"}); a str slot that is not valid UTF-8 (CPython's cut text) fails with a clear message, and
 * {@link #getRaw(int)} still returns its bytes.
 *
 * <h2>Readers and writers in several processes</h2>
 * Like CPython's, a list is not synchronized: writers that race each other need a lock of their own, and a reader
 * that must see several items as of one moment too ({@link #toList()}, iteration and {@link #count} read item
 * by item). What one {@link #get} promises without a lock:
 * <ul>
 *   <li>It returns one item whole, or throws an {@link IllegalStateException} naming the item; never another
 *       exception, never one item's format with another's bytes. An item's format, code and bytes are separate
 *       stores, so {@code get} reads the format and code, then the bytes twice, then the format and code again,
 *       and reads again while anything moved, for up to {@value #READ_RETRY_MS} ms; then it throws ("changed
 *       under every read": a writer that never pauses), as it does for an item no writer makes (a damaged
 *       block). The layout has no version number, so an item rewritten and rewritten back to the same format
 *       and code during one read would pass those checks (ABA): a read that took longer than
 *       {@value #READ_WINDOW_US} us (plus the time to copy its bytes), which is a read that was descheduled, is
 *       read again too. A reader stalled for less while the item went through two writes and back to its
 *       format and code can still return bytes of the one under the other.</li>
 *   <li>An int, float or bool is one aligned 8-byte word, which mp4j (and CPython's {@code struct}) store in
 *       one access: a reader gets the old value or the new one.</li>
 *   <li>mp4j's {@link #set} empties the item's format word first and writes the new format last, in one 8-byte
 *       store, so an mp4j reader that overlaps it waits and then sees the whole new item; a CPython reader that
 *       overlaps it gets {@code ValueError: not enough values to unpack} for that moment, instead of bytes of
 *       two items. At rest the bytes are exactly CPython's.</li>
 *   <li>CPython's {@code sl[i] = v} writes the format, then the code, then the bytes, with nothing in between
 *       to see: a reader (CPython's or mp4j's) that catches a CPython writer stopped between them can read the
 *       old bytes under the new format, a value nobody wrote. Only a lock (or writing every item once before
 *       sharing it) avoids that.</li>
 * </ul>
 */
public final class ShareableList implements Iterable<Object>, AutoCloseable, Serializable
{
    /** How long {@link #get} reads again an item that a writer keeps changing under it. */
    static final long READ_RETRY_MS = 10;
    private static final long READ_RETRY_NS = READ_RETRY_MS * 1_000_000L;
    /**
     * A read of one item takes under a microsecond compiled and tens interpreted; one that took longer than this
     * was descheduled (a time slice is milliseconds), long enough for writers to rewrite the item many times.
     */
    static final long READ_WINDOW_US = 1_000;
    private static final long READ_WINDOW_NS = READ_WINDOW_US * 1_000L;
    /** What a read may take on top of that for each byte of a str or bytes slot, which it copies twice. */
    private static final long READ_WINDOW_NS_PER_BYTE = 4;
    /** Attempts that spin before the retries yield the core (to a writer on the same core, say). */
    private static final int SPINNING_ATTEMPTS = 64;
    /** The format word of an item being written by mp4j's {@link #set}: no format, NUL bytes only. */
    private static final long WRITING = 0;

    private static final long serialVersionUID = 1L;

    private final transient SharedMemory shm;
    private final transient DirectBuffer buffer;
    private final String name;
    private final int length;
    private final long[] offsets;

    private ShareableList(final SharedMemory shm, final DirectBuffer buffer, final long blockSize, final String name)
    {
        this.shm = shm;
        this.buffer = buffer;
        this.name = name;
        final String problem = problem(buffer, blockSize, false);
        if (problem != null)
        {
            throw new IllegalArgumentException("block '" + name + "' is not a ShareableList: " + problem);
        }
        this.length = (int)buffer.getLong(COUNT_OFFSET);
        this.offsets = new long[length + 1];
        for (int i = 0; i <= length; i++)
        {
            offsets[i] = buffer.getLong((int)offsetAt(i));
        }
    }

    /** A new list in a block with a random {@code psm_} name, as {@code ShareableList(items)}. */
    public static ShareableList create(final List<?> items)
    {
        final Encoded encoded = encode(items);
        return fill(SharedMemory.create(encoded.size), encoded);
    }

    /** A new list in the new block {@code name}, as {@code ShareableList(items, name=name)}. */
    public static ShareableList create(final String name, final List<?> items)
    {
        SharedMemoryNames.validate(name);
        final Encoded encoded = encode(items);
        return fill(SharedMemory.create(name, encoded.size), encoded);
    }

    /** A new list with a random name, as {@code ShareableList([a, b, c])}. */
    public static ShareableList of(final Object... items)
    {
        return create(Arrays.asList(items));
    }

    /** Attaches to the list in block {@code name}, made by Java or Python, as {@code ShareableList(name=name)}. */
    public static ShareableList attach(final String name)
    {
        final SharedMemory shm = SharedMemory.attach(name);
        try
        {
            return new ShareableList(shm, shm.buf(), shm.size(), name);
        }
        catch (final RuntimeException ex)
        {
            shm.close();
            throw ex;
        }
    }

    /** The list in {@code shm}, which must hold one. */
    public static ShareableList wrap(final SharedMemory shm)
    {
        return new ShareableList(shm, shm.buf(), shm.size(), shm.name());
    }

    /** A read-only list over bytes copied from a block (the CLI's dump); {@link #set} fails. */
    public static ShareableList view(final DirectBuffer bytes, final String name)
    {
        return new ShareableList(null, bytes, bytes.capacity(), name);
    }

    /** Allocates and fills a block for {@code items} with {@code allocator} (a manager tracks its blocks). */
    static ShareableList create(final List<?> items, final java.util.function.LongFunction<SharedMemory> allocator)
    {
        final Encoded encoded = encode(items);
        return fill(allocator.apply(encoded.size), encoded);
    }

    /** The items encoded for a new list: formats, slots, codes, values, block size. */
    private record Encoded(String[] formats, long[] offsets, byte[] codes, Object[] values, long size)
    {
    }

    private static Encoded encode(final List<?> items)
    {
        Objects.requireNonNull(items, "items");
        final int n = items.size();
        final String[] formats = new String[n];
        final long[] offsets = new long[n + 1];
        final byte[] codes = new byte[n];
        final Object[] values = new Object[n];
        for (int i = 0; i < n; i++)
        {
            final Object item = items.get(i);
            final Object value = normalise(item, i);
            values[i] = value;
            codes[i] = (byte)code(value);
            final long slot;
            final byte[] bytes = value instanceof Str s ? s.utf8 : value instanceof byte[] b ? b : null;
            if (bytes != null)
            {
                slot = ALIGNMENT * ((long)bytes.length / ALIGNMENT + 1);
                if (slot > MAX_SLOT)
                {
                    throw new IllegalArgumentException("item " + i + " is " + bytes.length + " bytes; a " +
                        "ShareableList's str or bytes slot holds at most " + (MAX_SLOT - 1) + " (its format is 8 " +
                        "characters)");
                }
                formats[i] = slot + "s";
            }
            else
            {
                slot = ALIGNMENT;
                formats[i] = packedFormat(value);
            }
            offsets[i + 1] = offsets[i] + slot;
        }
        final long size = requiredSize(n, offsets[n]);
        if (size > SharedMemory.MAX_SIZE)
        {
            throw new IllegalArgumentException("the list needs " + size + " bytes; a block holds at most " +
                SharedMemory.MAX_SIZE);
        }
        return new Encoded(formats, offsets, codes, values, size);
    }

    /** Long, Double, Boolean, byte[] (str encoded, code kept apart) or null; what CPython would store. */
    private static Object normalise(final Object item, final int index)
    {
        if (item == null || item instanceof Long || item instanceof Double || item instanceof Boolean ||
            item instanceof byte[])
        {
            return item;
        }
        if (item instanceof Integer || item instanceof Short || item instanceof Byte)
        {
            return ((Number)item).longValue();
        }
        if (item instanceof Float f)
        {
            return f.doubleValue();
        }
        if (item instanceof String s)
        {
            return new Str(s, s.getBytes(StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException("item " + index + " is a " + item.getClass().getName() + "; a " +
            "ShareableList holds Long, Integer, Short, Byte, Double, Float, Boolean, String, byte[] and null " +
            "(CPython's int, float, bool, str, bytes and None)");
    }

    /** A str: its UTF-8 bytes, kept apart from bytes by its code. */
    private record Str(String text, byte[] utf8)
    {
    }

    private static int code(final Object value)
    {
        if (value == null)
        {
            return CODE_NONE;
        }
        if (value instanceof Str)
        {
            return CODE_STR;
        }
        return value instanceof byte[] ? CODE_BYTES : CODE_PACKED;
    }

    private static String packedFormat(final Object value)
    {
        if (value == null)
        {
            return FORMAT_NONE;
        }
        if (value instanceof Long)
        {
            return FORMAT_INT;
        }
        return value instanceof Double ? FORMAT_FLOAT : FORMAT_BOOL;
    }

    private static ShareableList fill(final SharedMemory shm, final Encoded encoded)
    {
        try
        {
            final MutableDirectBuffer buffer = shm.buf();
            final int n = encoded.formats.length;
            buffer.putLong(COUNT_OFFSET, n);
            for (int i = 0; i <= n; i++)
            {
                buffer.putLong((int)offsetAt(i), encoded.offsets[i]);
            }
            final long data = dataStart(n);
            final long formats = formatsStart(n, encoded.offsets[n]);
            final long codes = codesStart(n, encoded.offsets[n]);
            for (int i = 0; i < n; i++)
            {
                final Object value = encoded.values[i];
                pack(buffer, (int)(data + encoded.offsets[i]), encoded.formats[i],
                    value instanceof Str s ? s.utf8 : value);
                writeFormat(buffer, (int)(formats + (long)FORMAT_LENGTH * i), encoded.formats[i]);
                buffer.putByte((int)(codes + i), encoded.codes[i]);
            }
            return wrap(shm);
        }
        catch (final RuntimeException ex)
        {
            shm.close();
            shm.unlink();
            throw ex;
        }
    }

    private static void writeFormat(final MutableDirectBuffer buffer, final int at, final String format)
    {
        buffer.putLong(at, formatWord(format));
    }

    /** Packs {@code value} (Long, Double, Boolean, byte[] or null) at {@code at} as struct does with format. */
    private static void pack(final MutableDirectBuffer buffer, final int at, final String format, final Object value)
    {
        switch (format)
        {
            case FORMAT_INT -> buffer.putLong(at, (Long)value);
            case FORMAT_FLOAT -> buffer.putDouble(at, (Double)value);
            case FORMAT_BOOL ->
            {
                buffer.setMemory(at, 7, (byte)0);
                buffer.putByte(at + 7, (byte)((Boolean)value ? 1 : 0));
            }
            case FORMAT_NONE -> buffer.setMemory(at, 8, (byte)0);
            default ->
            {
                final byte[] bytes = (byte[])value;
                final int width = (int)stringWidth(format);
                buffer.putBytes(at, bytes);
                buffer.setMemory(at + bytes.length, width - bytes.length, (byte)0);
            }
        }
    }

    public String name()
    {
        return name;
    }

    /** The block the list lives in; null for a {@link #view}. */
    public SharedMemory shm()
    {
        return shm;
    }

    /** Items in the list, as {@code len(sl)}; fixed at creation. */
    public int size()
    {
        return length;
    }

    private int position(final int index)
    {
        final int position = index < 0 ? index + length : index;
        if (position < 0 || position >= length)
        {
            throw new IndexOutOfBoundsException("index " + index + " is outside " +
                (length == 0 ? "the empty list" : "0.." + (length - 1) + " (or -" + length + "..-1)") +
                " of ShareableList '" + name + "'");
        }
        return position;
    }

    private int itemOffset(final int position)
    {
        return (int)(dataStart(length) + offsets[position]);
    }

    private int formatsOffset()
    {
        return (int)formatsStart(length, offsets[length]);
    }

    private int codesOffset()
    {
        return (int)codesStart(length, offsets[length]);
    }

    /** Item {@code index}'s struct format ("q", "d", "xxxxxxx?", "xxxxxx?x", "16s"...); negative counts from the end. */
    public String format(final int index)
    {
        return read(position(index)).format;
    }

    /** All items' formats joined, as CPython's {@code format} property. */
    public String format()
    {
        final StringBuilder formats = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            formats.append(format(i));
        }
        return formats.toString();
    }

    /** Item {@code index}'s back-transform code: 0 int/float/bool, 1 str, 2 bytes, 3 None. */
    public int code(final int index)
    {
        return read(position(index)).code;
    }

    /**
     * Item {@code index} as CPython reads it: Long, Double, Boolean, String, byte[] or null. A negative index
     * counts from the end, as in Python. The item is read whole even while another process rewrites it, within
     * the limits the class comment draws ("Readers and writers in several processes").
     *
     * @throws IllegalStateException naming the item, when its bytes are no item CPython writes (a damaged block,
     *                               a str slot that is not UTF-8), or when a writer changed it under every read
     *                               for {@value #READ_RETRY_MS} ms.
     */
    public Object get(final int index)
    {
        final int position = position(index);
        final Item item = read(position);
        switch (item.code)
        {
            case CODE_PACKED:
                return item.value;
            case CODE_STR:
                return decode(position, stripNuls((byte[])item.value));
            case CODE_BYTES:
                return stripNuls((byte[])item.value);
            default:
                return null; // CODE_NONE: read() lets no other code through
        }
    }

    /** Item {@code index}'s packed bytes as its format says, before any back-transform (its full str slot). */
    public byte[] getRaw(final int index)
    {
        final int position = position(index);
        final Item item = read(position);
        if (item.value instanceof byte[] bytes)
        {
            return bytes;
        }
        final byte[] bytes = new byte[ALIGNMENT];
        buffer.getBytes(itemOffset(position), bytes);
        return bytes;
    }

    /** One item as read whole: its format, its code and its value before the back-transform. */
    private record Item(String format, int code, Object value)
    {
    }

    /**
     * Reads item {@code position} whole: its format word and code, then its value (a str or bytes slot twice),
     * then the format word and code again; reads again while any of it moved (see the class comment).
     */
    private Item read(final int position)
    {
        final int formatAt = formatsOffset() + FORMAT_LENGTH * position;
        final int codeAt = codesOffset() + position;
        final long slot = offsets[position + 1] - offsets[position];
        final int at = itemOffset(position);
        final long windowNs = READ_WINDOW_NS + READ_WINDOW_NS_PER_BYTE * slot;
        final long retryNs = Math.max(READ_RETRY_NS, 10 * windowNs); // a 10 MB slot takes milliseconds to copy
        long firstAttemptNs = 0;
        boolean everMoved = false;
        for (int attempt = 1; ; attempt++)
        {
            final long startNs = System.nanoTime();
            final long word = buffer.getLong(formatAt);
            final int code = buffer.getByte(codeAt);
            VarHandle.acquireFence(); // the value's loads stay after these
            final String format = word == WRITING ? "" : formatOf(word);
            final String problem = word == WRITING ? "has no format (it is being written)" :
                formatProblem(format, code, slot);
            Object value = null;
            boolean moved = false;
            if (problem == null)
            {
                final long packed = buffer.getLong(at);
                value = unpack(position, format);
                if (value instanceof byte[] bytes)
                {
                    final byte[] again = new byte[bytes.length];
                    buffer.getBytes(at, again);
                    moved = !Arrays.equals(bytes, again);
                }
                else
                {
                    moved = buffer.getLong(at) != packed;
                }
            }
            VarHandle.acquireFence(); // and before these
            moved |= buffer.getLong(formatAt) != word || buffer.getByte(codeAt) != code;
            final long now = System.nanoTime();
            // A reader descheduled mid-read cannot tell whether the item was rewritten meanwhile and back to the
            // same format and code (ABA: the layout has no version to compare), so a slow read counts as moved.
            moved |= shm != null && now - startNs > windowNs;
            if (!moved && problem == null)
            {
                return new Item(format, code, value);
            }
            everMoved |= moved;
            if (attempt == 1)
            {
                firstAttemptNs = now;
            }
            // A view has no writer. Otherwise even an item that stays wrong may be a writer stopped between two
            // of its stores (CPython writes the format, then the code), so it gets the same time to move on.
            if (shm == null || now - firstAttemptNs > retryNs)
            {
                throw new IllegalStateException(everMoved ?
                    describe(position) + " changed under every read for " + (now - firstAttemptNs) / 1_000_000 +
                        " ms (" + attempt +
                        " reads): another process keeps rewriting it; a ShareableList is not synchronized, so " +
                        "guard its readers and writers with a lock" :
                    describe(position) + " " + problem + ", which no writer leaves behind: the block is damaged, " +
                        "or a writer stopped halfway through this item");
            }
            if (attempt < SPINNING_ATTEMPTS)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
        }
    }

    private String describe(final int position)
    {
        return "item " + position + " of ShareableList '" + name + "'";
    }

    /** The value packed at item {@code position} with {@code format}, which {@link #formatProblem} accepted. */
    private Object unpack(final int position, final String format)
    {
        final int at = itemOffset(position);
        switch (format)
        {
            case FORMAT_INT:
                return buffer.getLong(at);
            case FORMAT_FLOAT:
                return buffer.getDouble(at);
            case FORMAT_BOOL:
                return buffer.getByte(at + 7) != 0;
            case FORMAT_NONE:
                return buffer.getByte(at + 6) != 0;
            default:
                final byte[] bytes = new byte[(int)stringWidth(format)];
                buffer.getBytes(at, bytes);
                return bytes;
        }
    }

    private static byte[] stripNuls(final byte[] bytes)
    {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        return end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
    }

    private String decode(final int position, final byte[] utf8)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(utf8)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalStateException(describe(position) + " is a str whose " +
                utf8.length + " bytes are not valid UTF-8 (CPython before 3.14 cuts non-ASCII text that is longer " +
                "in bytes than its slot: gh-88336); getRaw(" + position + ") returns the bytes", ex);
        }
    }

    /** Item {@code index} as a long; fails unless it is an int. */
    public long getLong(final int index)
    {
        return typed(index, Long.class);
    }

    /** Item {@code index} as a double; fails unless it is a float. */
    public double getDouble(final int index)
    {
        return typed(index, Double.class);
    }

    /** Item {@code index} as a boolean; fails unless it is a bool. */
    public boolean getBoolean(final int index)
    {
        return typed(index, Boolean.class);
    }

    /** Item {@code index} as a String (null for None); fails for other types. */
    public String getString(final int index)
    {
        final Object value = get(index);
        if (value != null && !(value instanceof String))
        {
            throw new ClassCastException(typeError(index, value, "str"));
        }
        return (String)value;
    }

    /** Item {@code index} as bytes (null for None); fails for other types. */
    public byte[] getBytes(final int index)
    {
        final Object value = get(index);
        if (value != null && !(value instanceof byte[]))
        {
            throw new ClassCastException(typeError(index, value, "bytes"));
        }
        return (byte[])value;
    }

    private <T> T typed(final int index, final Class<T> type)
    {
        final Object value = get(index);
        if (!type.isInstance(value))
        {
            throw new ClassCastException(typeError(index, value, pythonType(type)));
        }
        return type.cast(value);
    }

    private String typeError(final int index, final Object value, final String wanted)
    {
        return "item " + index + " of ShareableList '" + name + "' is " + PythonRepr.typeName(value) + " " +
            PythonRepr.repr(value) + ", not " + wanted;
    }

    private static String pythonType(final Class<?> type)
    {
        return type == Long.class ? "int" : type == Double.class ? "float" : "bool";
    }

    /**
     * Sets item {@code index}, as {@code sl[index] = value}: any type may replace any other, but a str or bytes
     * must fit the slot allocated at creation (CPython's rule and error).
     *
     * @throws IllegalArgumentException "bytes/str item exceeds available storage", or an unsupported type.
     */
    public void set(final int index, final Object value)
    {
        if (shm == null)
        {
            throw new UnsupportedOperationException("ShareableList '" + name + "' is a read-only view");
        }
        final int position = position(index);
        final Object normal = normalise(value, position);
        final MutableDirectBuffer out = shm.buf();
        final String newFormat;
        final Object packed;
        if (normal instanceof byte[] || normal instanceof Str)
        {
            final byte[] bytes = normal instanceof Str s ? s.utf8 : (byte[])normal;
            final long allocated = offsets[position + 1] - offsets[position];
            if (bytes.length > allocated)
            {
                throw new IllegalArgumentException("bytes/str item exceeds available storage: " + bytes.length +
                    " bytes for item " + position + " of ShareableList '" + name + "', whose slot holds " +
                    allocated + " (a list's slots are sized at creation)");
            }
            final String current = format(position);
            newFormat = current.endsWith("s") && stringWidth(current) >= bytes.length ? current : allocated + "s";
            packed = bytes;
        }
        else
        {
            newFormat = packedFormat(normal);
            packed = normal;
        }
        final int formatAt = formatsOffset() + FORMAT_LENGTH * position;
        out.putLong(formatAt, WRITING); // a reader that sees the item now reads it again (see read)
        VarHandle.storeStoreFence();
        out.putByte(codesOffset() + position, (byte)code(normal));
        pack(out, itemOffset(position), newFormat, packed);
        VarHandle.storeStoreFence();
        out.putLong(formatAt, formatWord(newFormat)); // one 8-byte store: the whole new item at once
    }

    /** How many items equal {@code value}, with Python's {@code ==} (1 == 1.0 == True; bytes by content). */
    public int count(final Object value)
    {
        int count = 0;
        for (int i = 0; i < length; i++)
        {
            if (PythonRepr.pyEquals(value, get(i)))
            {
                count++;
            }
        }
        return count;
    }

    /**
     * The first index of an item equal to {@code value} (Python's {@code ==}).
     *
     * @throws NoSuchElementException "... not in this container", as CPython's ValueError.
     */
    public int index(final Object value)
    {
        for (int i = 0; i < length; i++)
        {
            if (PythonRepr.pyEquals(value, get(i)))
            {
                return i;
            }
        }
        throw new NoSuchElementException(PythonRepr.repr(value) + " not in this container");
    }

    /** A copy of the items. */
    public List<Object> toList()
    {
        final List<Object> items = new ArrayList<>(length);
        for (int i = 0; i < length; i++)
        {
            items.add(get(i));
        }
        return items;
    }

    @Override
    public Iterator<Object> iterator()
    {
        return new Iterator<>()
        {
            private int next;

            @Override
            public boolean hasNext()
            {
                return next < length;
            }

            @Override
            public Object next()
            {
                if (next >= length)
                {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }

    /** Closes this process's access to the block (the block stays: {@link #unlink()}). */
    @Override
    public void close()
    {
        if (shm != null)
        {
            shm.close();
        }
    }

    /** Removes the block, as {@code sl.shm.unlink()}. */
    public void unlink()
    {
        if (shm == null)
        {
            throw new UnsupportedOperationException("ShareableList '" + name + "' is a read-only view");
        }
        shm.unlink();
    }

    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder("ShareableList([");
        for (int i = 0; i < length; i++)
        {
            out.append(i == 0 ? "" : ", ");
            try
            {
                out.append(PythonRepr.repr(get(i)));
            }
            catch (final RuntimeException ex)
            {
                out.append("<undecodable>");
            }
        }
        return out.append("], name='").append(name).append("')").toString();
    }

    private Object writeReplace() throws ObjectStreamException
    {
        return new Ref(name);
    }

    /** What a list becomes on the wire: its block's name, as CPython pickles it. */
    private record Ref(String name) implements Serializable
    {
        private Object readResolve() throws ObjectStreamException
        {
            try
            {
                return attach(name);
            }
            catch (final RuntimeException ex)
            {
                final InvalidObjectException failure = new InvalidObjectException(ex.getMessage());
                failure.initCause(ex);
                throw failure;
            }
        }
    }

    /** The bytes of a heap copy, for tests and the CLI. */
    static UnsafeBuffer heapCopy(final DirectBuffer source, final int length)
    {
        final byte[] bytes = new byte[length];
        source.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }
}
