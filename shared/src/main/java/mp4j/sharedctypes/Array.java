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
 * {@link #raw()} as bytes. Layout: {@link SynchronizedLayout}.
 */
public final class Array extends Synchronized
{
    private static final long serialVersionUID = 1L;

    private final transient int elements;
    private final transient int size;
    private final transient int length;

    /**
     * A zeroed array of {@code length} elements in the current session, with its own RLock: Python's
     * {@code Array(typecode, size)}.
     *
     * @param typeCode a ctypes type code of {@link CTypes#CODES}.
     * @param length   the number of elements, 0 or more.
     * @throws IllegalArgumentException when the type code is unknown, or {@code length} is negative or too large for a
     *                                  session (2 GiB).
     */
    public Array(final char typeCode, final int length)
    {
        this(typeCode, length, true);
    }

    /**
     * A zeroed array in the current session: Python's {@code Array(typecode, size, lock=...)}.
     *
     * @param typeCode a ctypes type code of {@link CTypes#CODES}.
     * @param length   the number of elements, 0 or more.
     * @param lock     as Python's {@code lock=}: {@code true} (its own RLock), {@code false} (none), or a Lock/RLock
     *                 of the current session.
     * @throws IllegalArgumentException when the type code is unknown, {@code length} is negative or too large, or
     *                                  {@code lock} is none of those.
     */
    public Array(final char typeCode, final int length, final Object lock)
    {
        this(Session.current(), allocate(Session.current(), ObjectKind.ARRAY, null, typeCode, length, lock));
    }

    /**
     * An array holding {@code values}, with its own RLock: Python's {@code Array('i', [1, 2, 3])}.
     *
     * @param typeCode a ctypes type code of {@link CTypes#CODES}.
     * @param values   the elements, each wrapped to the type's width (converted for 'f' and 'd').
     * @throws IllegalArgumentException when the type code is unknown.
     */
    public Array(final char typeCode, final long[] values)
    {
        this(typeCode, values.length, true);
        set(0, values, 0, values.length);
    }

    /**
     * An array holding {@code values}, with its own RLock: Python's {@code Array('d', [1.5, 2.5])}.
     *
     * @param typeCode 'd' or 'f' (an integer code stores each value truncated and wrapped).
     * @param values   the elements.
     * @throws IllegalArgumentException when the type code is unknown.
     */
    public Array(final char typeCode, final double[] values)
    {
        this(typeCode, values.length, true);
        set(0, values, 0, values.length);
    }

    /**
     * An array holding {@code bytes}, one element each, as Python's {@code Array('c', b'hello')} (any code takes
     * them as Python iterates bytes: unsigned values 0..255, stored as the code wraps them).
     *
     * @param typeCode a ctypes type code of {@link CTypes#CODES}.
     * @param bytes    the elements, one byte each.
     * @throws IllegalArgumentException when the type code is unknown.
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

    /**
     * Attaches to an existing Array of {@code session}, as a worker does with one it was passed (a reference
     * travels, not the bytes).
     *
     * @param session the session whose file holds it.
     * @param entry   its entry in the session's object directory.
     * @throws IllegalArgumentException when the entry's length or place does not fit its count (a corrupt file).
     */
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
     * A zeroed array in {@code session}, which need not be the current one.
     *
     * @param session  the session whose file holds it.
     * @param name     the name {@code launcher inspect} shows; null for a generated one ("Array-3").
     * @param typeCode a ctypes type code of {@link CTypes#CODES}.
     * @param length   the number of elements, 0 or more.
     * @param lock     {@code true}, {@code false}, or a Lock/RLock of the session.
     * @return the new array.
     * @throws IllegalArgumentException when the type code is unknown, {@code length} is negative or too large, or
     *                                  {@code lock} is none of those.
     */
    public static Array create(
        final Session session, final String name, final char typeCode, final int length, final Object lock)
    {
        return new Array(session, allocate(session, ObjectKind.ARRAY, name, typeCode, length, lock));
    }

    /**
     * As {@link #Array(char, byte[])}, in {@code session}.
     *
     * @param session  the session whose file holds it.
     * @param name     the name {@code launcher inspect} shows; null for a generated one.
     * @param typeCode a ctypes type code of {@link CTypes#CODES}.
     * @param bytes    the elements, one byte each.
     * @param lock     {@code true}, {@code false}, or a Lock/RLock of the session.
     * @return the new array.
     * @throws IllegalArgumentException when the type code is unknown or {@code lock} is none of those.
     */
    public static Array create(
        final Session session, final String name, final char typeCode, final byte[] bytes, final Object lock)
    {
        return create(session, name, typeCode, bytes.length, lock).fill(bytes);
    }

    /**
     * The number of elements, as Python's {@code len(arr)}.
     *
     * @return the length it was made with.
     */
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

    /**
     * An element, as Python's {@code arr[index]}.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @return the element as a long: unsigned types zero-extended, floats truncated.
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     */
    public long get(final int index)
    {
        return CTypes.getLong(buffer, at(index), typeCode);
    }

    /**
     * Stores an element, as Python's {@code arr[index] = value}.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @param value the new value, wrapped to the type's width as C does.
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     */
    public void set(final int index, final long value)
    {
        CTypes.putLong(buffer, at(index), typeCode, value);
    }

    /**
     * The same as {@link #get(int)}.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @return the element as a long.
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     */
    public long getLong(final int index)
    {
        return get(index);
    }

    /**
     * The same as {@link #set(int, long)}.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @param value the new value, wrapped to the type's width.
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     */
    public void setLong(final int index, final long value)
    {
        set(index, value);
    }

    /**
     * An element as a double, for the floating-point types.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @return the element (an integer one converted).
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     */
    public double getDouble(final int index)
    {
        return CTypes.getDouble(buffer, at(index), typeCode);
    }

    /**
     * Stores an element from a double, for the floating-point types.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @param value the new value; an integer type stores it truncated and wrapped.
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     */
    public void setDouble(final int index, final double value)
    {
        CTypes.putDouble(buffer, at(index), typeCode, value);
    }

    /**
     * Atomically adds to an element, without the lock.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @param delta what to add; the sum wraps to the type's width.
     * @return the element's value before the addition.
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     * @throws IllegalStateException     when the type code is not an integer one ('f', 'd', 'c'): use the lock.
     */
    public long getAndAdd(final int index, final long delta)
    {
        if (!CTypes.isInteger(typeCode))
        {
            throw notInteger("getAndAdd");
        }
        return CTypes.getAndAdd(buffer, at(index), typeCode, delta);
    }

    /**
     * Atomically adds to an element, without the lock.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @param delta what to add; the sum wraps to the type's width.
     * @return the element's value after the addition.
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     * @throws IllegalStateException     when the type code is not an integer one ('f', 'd', 'c'): use the lock.
     */
    public long addAndGet(final int index, final long delta)
    {
        return CTypes.wrap(typeCode, getAndAdd(index, delta) + delta);
    }

    /**
     * Atomically adds 1 to an element, without the lock.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @return the element's value after the addition.
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     * @throws IllegalStateException     when the type code is not an integer one ('f', 'd', 'c'): use the lock.
     */
    public long incrementAndGet(final int index)
    {
        return addAndGet(index, 1);
    }

    /**
     * Atomically stores {@code update} in an element if it holds {@code expected}, without the lock.
     *
     * @param index the element's index; a negative one counts from the end ({@code -1} is the last).
     * @param expected the value it must hold now, as {@link #get(int)} gives it.
     * @param update   the value to store, wrapped to the type's width.
     * @return true when stored.
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code -length()..length()-1}.
     * @throws IllegalStateException     when the type code is not an integer one ('f', 'd', 'c'): use the lock.
     */
    public boolean compareAndSet(final int index, final long expected, final long update)
    {
        if (!CTypes.isInteger(typeCode))
        {
            throw notInteger("compareAndSet");
        }
        return CTypes.compareAndSet(buffer, at(index), typeCode, expected, update);
    }

    /**
     * Copies {@code count} elements from {@code index} into {@code dst} at {@code dstOffset}, holding the lock (if
     * it has one): Python's {@code arr[index:index + count]}.
     *
     * @param index     the first element to copy; a negative one counts from the end.
     * @param dst       where to copy to.
     * @param dstOffset the first index of {@code dst} written.
     * @param count     how many elements, 0 or more.
     * @throws IndexOutOfBoundsException when either range is outside its array; nothing is copied then.
     */
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

    /**
     * As {@link #get(int, long[], int, int)}, into doubles, for the floating-point types.
     *
     * @param index     the first element to copy; a negative one counts from the end.
     * @param dst       where to copy to.
     * @param dstOffset the first index of {@code dst} written.
     * @param count     how many elements, 0 or more.
     * @throws IndexOutOfBoundsException when either range is outside its array; nothing is copied then.
     */
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

    /**
     * Copies {@code count} elements of {@code src} from {@code srcOffset} to {@code index}, holding the lock (if it
     * has one): Python's {@code arr[index:index + count] = src}.
     *
     * @param index     the first element written; a negative one counts from the end.
     * @param src       where to copy from; each value wrapped to the type's width.
     * @param srcOffset the first index of {@code src} read.
     * @param count     how many elements, 0 or more.
     * @throws IndexOutOfBoundsException when either range is outside its array; nothing is written then.
     */
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

    /**
     * As {@link #set(int, long[], int, int)}, from doubles, for the floating-point types.
     *
     * @param index     the first element written; a negative one counts from the end.
     * @param src       where to copy from.
     * @param srcOffset the first index of {@code src} read.
     * @param count     how many elements, 0 or more.
     * @throws IndexOutOfBoundsException when either range is outside its array; nothing is written then.
     */
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

    /**
     * All elements as longs, read under the lock: Python's {@code arr[:]}.
     *
     * @return a new array of {@link #length()} values.
     */
    public long[] toLongArray()
    {
        final long[] values = new long[length];
        get(0, values, 0, length);
        return values;
    }

    /**
     * All elements as doubles, read under the lock: Python's {@code arr[:]} for 'd' and 'f'.
     *
     * @return a new array of {@link #length()} values.
     */
    public double[] toDoubleArray()
    {
        final double[] values = new double[length];
        get(0, values, 0, length);
        return values;
    }

    /**
     * An {@code Array('c')}'s bytes up to the first NUL (all of them if none), read under the lock: Python's
     * {@code arr.value}.
     *
     * @return a new array of the bytes.
     * @throws UnsupportedOperationException when the type code is not 'c', as in Python.
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
     *
     * @param bytes the new string, at most {@link #length()} bytes.
     * @throws IllegalArgumentException      when {@code bytes} is longer than the array (Python's ValueError).
     * @throws UnsupportedOperationException when the type code is not 'c'.
     */
    public void value(final byte[] bytes)
    {
        writeBytes("value", bytes, true);
    }

    /**
     * All of an {@code Array('c')}'s bytes, read under the lock: Python's {@code arr.raw}.
     *
     * @return a new array of {@link #length()} bytes.
     * @throws UnsupportedOperationException when the type code is not 'c'.
     */
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

    /**
     * Python's {@code arr.raw = b'...'}: writes {@code bytes} from the start, under the lock; no NUL is added.
     *
     * @param bytes the new bytes, at most {@link #length()}; the ones after them stay as they were.
     * @throws IllegalArgumentException      when {@code bytes} is longer than the array.
     * @throws UnsupportedOperationException when the type code is not 'c'.
     */
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
