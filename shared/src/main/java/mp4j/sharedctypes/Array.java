package mp4j.sharedctypes;

import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;

import static mp4j.sharedctypes.SynchronizedLayout.ELEMENTS_OFFSET;

/**
 * Python's {@code multiprocessing.Array}: a fixed-length typed C array in the session file, shared by every
 * process it is passed to, with its own {@link mp4j.synchronize.RLock} by default ({@link #getLock()}), none
 * ({@code lock=false}) or a given Lock/RLock. Element access is bounds-checked
 * ({@link IndexOutOfBoundsException}, never a write outside the array); a negative index counts from the end, as
 * in Python ({@code get(-1)} is the last element). Bulk copies to and from Java arrays hold the lock, as Python's
 * synchronized slices do. An {@code Array('c')} is Python's synchronized string: {@link #value()} and
 * {@link #raw()} as bytes. Layout: {@link Synchronized}.
 */
public final class Array extends Synchronized
{
    private static final long serialVersionUID = 1L;

    private final transient int elements;
    private final transient int size;
    private final transient int length;

    /** A zeroed array of {@code length} elements in the current session, with its own RLock. */
    public Array(final char typeCode, final int length)
    {
        this(typeCode, length, true);
    }

    /** @param lock as Python's {@code lock=}: {@code true}, {@code false}, or a Lock/RLock. */
    public Array(final char typeCode, final int length, final Object lock)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.ARRAY, null, typeCode, length, lock));
    }

    /** An array holding {@code values} (as Python's {@code Array('i', [1, 2, 3])}). */
    public Array(final char typeCode, final long[] values)
    {
        this(typeCode, values.length, true);
        set(0, values, 0, values.length);
    }

    public Array(final char typeCode, final double[] values)
    {
        this(typeCode, values.length, true);
        set(0, values, 0, values.length);
    }

    /**
     * An array holding {@code bytes}, one element each, as Python's {@code Array('c', b'hello')} (any code takes
     * them as Python iterates bytes: unsigned values 0..255, stored as the code wraps them).
     */
    public Array(final char typeCode, final byte[] bytes)
    {
        this(typeCode, bytes.length, true);
        fill(bytes);
    }

    private Array fill(final byte[] bytes)
    {
        final long[] values = new long[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            values[i] = bytes[i] & 0xFF;
        }
        set(0, values, 0, values.length);
        return this;
    }

    /** Attaches to an existing Array. */
    public Array(final Session session, final DirectoryEntry entry)
    {
        super(session, entry);
        this.size = CTypes.size(typeCode);
        if (entry.count() < 0 || ELEMENTS_OFFSET + entry.count() * size > entry.length())
        {
            throw new IllegalArgumentException("Array '" + entry.name() + "' says " + entry.count() +
                " elements but has " + entry.length() + " bytes; the session file is corrupt");
        }
        this.elements = base() + ELEMENTS_OFFSET;
        this.length = (int)entry.count();
    }

    /**
     * A zeroed array in {@code session}.
     *
     * @param name null for a generated one ("Array-3").
     * @param lock {@code true}, {@code false}, or a Lock/RLock of the session.
     */
    public static Array create(
        final Session session, final String name, final char typeCode, final int length, final Object lock)
    {
        return new Array(session, allocate(session, ObjectKind.ARRAY, name, typeCode, length, lock));
    }

    /** As {@link #Array(char, byte[])}, in {@code session}. */
    public static Array create(
        final Session session, final String name, final char typeCode, final byte[] bytes, final Object lock)
    {
        return create(session, name, typeCode, bytes.length, lock).fill(bytes);
    }

    public int length()
    {
        return length;
    }

    /** Where element {@code index} is; a negative index counts from the end, as Python's. */
    private int at(final int index)
    {
        final int position = index < 0 ? index + length : index;
        if (position < 0 || position >= length)
        {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for Array '" + name() +
                "' of length " + length);
        }
        return elements + position * size;
    }

    private void checkRange(final int index, final int count, final int otherLength, final int otherOffset)
    {
        if (count < 0 || index < 0 || index > length - count || otherOffset < 0 || otherOffset > otherLength - count)
        {
            throw new IndexOutOfBoundsException("cannot copy " + count + " elements at index " + index + " of Array '" +
                name() + "' (length " + length + ") and " + otherOffset + " of a Java array of length " + otherLength);
        }
    }

    public long get(final int index)
    {
        return CTypes.getLong(buffer, at(index), typeCode);
    }

    public void set(final int index, final long value)
    {
        CTypes.putLong(buffer, at(index), typeCode, value);
    }

    public long getLong(final int index)
    {
        return get(index);
    }

    public void setLong(final int index, final long value)
    {
        set(index, value);
    }

    public double getDouble(final int index)
    {
        return CTypes.getDouble(buffer, at(index), typeCode);
    }

    public void setDouble(final int index, final double value)
    {
        CTypes.putDouble(buffer, at(index), typeCode, value);
    }

    /** Atomically adds to an element (integer codes), returning its previous value. */
    public long getAndAdd(final int index, final long delta)
    {
        if (!CTypes.isInteger(typeCode))
        {
            throw notInteger("getAndAdd");
        }
        return CTypes.getAndAdd(buffer, at(index), typeCode, delta);
    }

    public long addAndGet(final int index, final long delta)
    {
        return CTypes.wrap(typeCode, getAndAdd(index, delta) + delta);
    }

    public long incrementAndGet(final int index)
    {
        return addAndGet(index, 1);
    }

    public boolean compareAndSet(final int index, final long expected, final long update)
    {
        if (!CTypes.isInteger(typeCode))
        {
            throw notInteger("compareAndSet");
        }
        return CTypes.compareAndSet(buffer, at(index), typeCode, expected, update);
    }

    /** Copies {@code count} elements from {@code index} into {@code dst} at {@code dstOffset}, holding the lock. */
    public void get(final int index, final long[] dst, final int dstOffset, final int count)
    {
        checkRange(index, count, dst.length, dstOffset);
        final boolean held = lockForBulk();
        try
        {
            for (int i = 0; i < count; i++)
            {
                dst[dstOffset + i] = CTypes.getLong(buffer, elements + (index + i) * size, typeCode);
            }
        }
        finally
        {
            unlockForBulk(held);
        }
    }

    public void get(final int index, final double[] dst, final int dstOffset, final int count)
    {
        checkRange(index, count, dst.length, dstOffset);
        final boolean held = lockForBulk();
        try
        {
            for (int i = 0; i < count; i++)
            {
                dst[dstOffset + i] = CTypes.getDouble(buffer, elements + (index + i) * size, typeCode);
            }
        }
        finally
        {
            unlockForBulk(held);
        }
    }

    /** Copies {@code count} elements of {@code src} from {@code srcOffset} to {@code index}, holding the lock. */
    public void set(final int index, final long[] src, final int srcOffset, final int count)
    {
        checkRange(index, count, src.length, srcOffset);
        final boolean held = lockForBulk();
        try
        {
            for (int i = 0; i < count; i++)
            {
                CTypes.putLong(buffer, elements + (index + i) * size, typeCode, src[srcOffset + i]);
            }
        }
        finally
        {
            unlockForBulk(held);
        }
    }

    public void set(final int index, final double[] src, final int srcOffset, final int count)
    {
        checkRange(index, count, src.length, srcOffset);
        final boolean held = lockForBulk();
        try
        {
            for (int i = 0; i < count; i++)
            {
                CTypes.putDouble(buffer, elements + (index + i) * size, typeCode, src[srcOffset + i]);
            }
        }
        finally
        {
            unlockForBulk(held);
        }
    }

    /** All elements as longs (Python's {@code arr[:]}), read under the lock. */
    public long[] toLongArray()
    {
        final long[] values = new long[length];
        get(0, values, 0, length);
        return values;
    }

    public double[] toDoubleArray()
    {
        final double[] values = new double[length];
        get(0, values, 0, length);
        return values;
    }

    /**
     * An {@code Array('c')}'s bytes up to the first NUL (all of them if none), read under the lock: Python's
     * {@code arr.value}.
     */
    public byte[] value()
    {
        final byte[] all = raw();
        int end = 0;
        while (end < all.length && all[end] != 0)
        {
            end++;
        }
        return end == all.length ? all : java.util.Arrays.copyOf(all, end);
    }

    /**
     * Python's {@code arr.value = b'...'}: writes {@code bytes}, then a NUL if there is room, under the lock; the
     * bytes after it stay as they were (as ctypes' c_char array does).
     */
    public void value(final byte[] bytes)
    {
        writeBytes("value", bytes, true);
    }

    /** All of an {@code Array('c')}'s bytes, read under the lock: Python's {@code arr.raw}. */
    public byte[] raw()
    {
        checkChars("raw");
        final byte[] all = new byte[length];
        final boolean held = lockForBulk();
        try
        {
            buffer.getBytes(elements, all);
        }
        finally
        {
            unlockForBulk(held);
        }
        return all;
    }

    /** Python's {@code arr.raw = b'...'}: writes {@code bytes} from the start, under the lock; no NUL is added. */
    public void raw(final byte[] bytes)
    {
        writeBytes("raw", bytes, false);
    }

    private void writeBytes(final String what, final byte[] bytes, final boolean terminate)
    {
        checkChars(what);
        if (bytes.length > length)
        {
            throw new IllegalArgumentException("byte string too long: " + bytes.length + " bytes for Array '" +
                name() + "' of length " + length + " (Python raises ValueError)");
        }
        final boolean held = lockForBulk();
        try
        {
            buffer.putBytes(elements, bytes);
            if (terminate && bytes.length < length)
            {
                buffer.putByte(elements + bytes.length, (byte)0);
            }
        }
        finally
        {
            unlockForBulk(held);
        }
    }

    private void checkChars(final String what)
    {
        if (typeCode != 'c')
        {
            throw new UnsupportedOperationException("Array '" + name() + "' has type code '" + (char)typeCode +
                "'; " + what + " is for Array('c') only, as in Python (read elements with get, or toLongArray)");
        }
    }

    @Override
    public String toString()
    {
        return "Array('" + (char)typeCode + "', " + format(buffer, elements, typeCode, length, 16) + ")";
    }

    private static String format(
        final org.agrona.concurrent.AtomicBuffer buffer, final int elements, final int typeCode, final long length,
        final int max)
    {
        final int size = CTypes.size(typeCode);
        final StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < Math.min(length, max); i++)
        {
            text.append(i == 0 ? "" : ", ").append(CTypes.format(buffer, elements + i * size, typeCode));
        }
        return text.append(length > max ? ", ...]" : "]").toString();
    }
}
