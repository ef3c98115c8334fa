package mp4j.codec;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * How values cross between processes (pool tasks and results, queue messages), as CPython's pickling in
 * {@code multiprocessing.reduction}: common values in a compact tagged form, anything else Serializable through
 * Java serialization under the one rule of {@link SerialFilter}, which also bounds the work a decode may do.
 * <pre>
 *   +-----+---------------------------------------------+
 *   | tag | body (little-endian)                        |
 *   +-----+---------------------------------------------+
 *   tag  body
 *    0   null: nothing
 *    1   Boolean: 1 byte          2 Byte: 1 byte        3 Short: 2 bytes     4 Character: 2 bytes
 *    5   Integer: 4 bytes         6 Long: 8 bytes       7 Float: 4 bytes     8 Double: 8 bytes
 *    9   String: int length, UTF-8 bytes
 *   10   byte[]: int length, bytes
 *   11   int[]: int count, 4*count bytes     12 long[]    13 double[]    14 float[]    15 short[]
 *   16   char[]    17 boolean[] (1 byte each)
 *   18   List: int count, count encoded values (decoded as ArrayList)
 *   19   Object[]: int count, count encoded values
 *   20   Serializable: int length, Java serialization stream
 * </pre>
 * Not thread-safe where it uses its scratch buffer: one codec per thread, or per ring writer.
 */
public final class ValueCodec
{
    /** Tag of null; no body. */
    public static final byte NULL = 0;
    /** Tag of a Boolean; one byte, 0 or 1. */
    public static final byte BOOLEAN = 1;
    /** Tag of a Byte; one byte. */
    public static final byte BYTE = 2;
    /** Tag of a Short; 2 bytes. */
    public static final byte SHORT = 3;
    /** Tag of a Character; 2 bytes. */
    public static final byte CHAR = 4;
    /** Tag of an Integer; 4 bytes. */
    public static final byte INT = 5;
    /** Tag of a Long; 8 bytes. */
    public static final byte LONG = 6;
    /** Tag of a Float; 4 bytes. */
    public static final byte FLOAT = 7;
    /** Tag of a Double; 8 bytes. */
    public static final byte DOUBLE = 8;
    /** Tag of a String; an int length, then UTF-8 bytes. */
    public static final byte STRING = 9;
    /** Tag of a byte[]; an int length, then the bytes. */
    public static final byte BYTES = 10;
    /** Tag of an int[]; an int count, then 4 bytes each. */
    public static final byte INT_ARRAY = 11;
    /** Tag of a long[]; an int count, then 8 bytes each. */
    public static final byte LONG_ARRAY = 12;
    /** Tag of a double[]; an int count, then 8 bytes each. */
    public static final byte DOUBLE_ARRAY = 13;
    /** Tag of a float[]; an int count, then 4 bytes each. */
    public static final byte FLOAT_ARRAY = 14;
    /** Tag of a short[]; an int count, then 2 bytes each. */
    public static final byte SHORT_ARRAY = 15;
    /** Tag of a char[]; an int count, then 2 bytes each. */
    public static final byte CHAR_ARRAY = 16;
    /** Tag of a boolean[]; an int count, then one byte each. */
    public static final byte BOOLEAN_ARRAY = 17;
    /** Tag of a List; an int count, then each element encoded (decoded as an ArrayList). */
    public static final byte LIST = 18;
    /** Tag of an Object[]; an int count, then each element encoded. */
    public static final byte OBJECT_ARRAY = 19;
    /** Tag of any other Serializable; an int length, then a Java serialization stream (under {@link SerialFilter}). */
    public static final byte SERIALIZED = 20;

    private static final int MAX_DEPTH = 64;

    private static final VarHandle READER_OWNER;

    static
    {
        try
        {
            READER_OWNER = MethodHandles.lookup().findVarHandle(ValueCodec.class, "readerOwner", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Null: {@link SerialFilter#standard()} as it is at each decode. */
    private final ObjectInputFilter filter;
    /**
     * The cursor of every decode made by the first thread that decodes with this codec (a ring's reader, a pool's
     * handler), which would otherwise make one per value: 40 of the 64 bytes a Queue's get of a byte[8] allocated,
     * and a consumer JVM on G1 paid for its growing heap's first touches at every value while it warmed up
     * (docs/benchmarks-analysis.md, "Queue and Pipe at 8 bytes: a consumer's heap"). Other threads, and a decode
     * inside a decode, make their own.
     */
    private final Reader spareReader;
    /** The id of the thread that decodes with {@link #spareReader}; 0 until a thread has decoded. */
    private volatile long readerOwner;
    /** Whether the owner's decode is using {@link #spareReader}; only the owner reads and writes it. */
    private boolean spareInUse;

    /**
     * A codec whose Java-serialized values must pass {@code filter}: a {@link SerialFilter} (the rule, with extra
     * patterns), or another filter, to which the rule's limits are added.
     *
     * @param filter what a Java-serialized value must pass; null is {@link SerialFilter#standard()} as it is at
     *               each decode.
     */
    public ValueCodec(final ObjectInputFilter filter)
    {
        this.filter = filter;
        this.spareReader = new Reader(filter);
    }

    /** A codec under the rule, {@link SerialFilter#standard()}, with what {@link SerialFilter#allow} adds later. */
    public ValueCodec()
    {
        this(null);
    }

    /**
     * Encodes {@code value} at {@code offset}, growing {@code out} as needed.
     *
     * @param value  the value; null, a boxed primitive, String, primitive array, List, Object[] or Serializable.
     * @param out    the buffer written to; grown when the value does not fit.
     * @param offset where in {@code out} the tag goes.
     * @return bytes written.
     * @throws IllegalArgumentException when the value cannot be encoded (not serializable), naming its class.
     */
    public int encode(final Object value, final ExpandableArrayBuffer out, final int offset)
    {
        return encode(value, out, offset, 0);
    }

    private int encode(final Object value, final MutableDirectBuffer out, final int offset, final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (value == null)
        {
            out.putByte(offset, NULL);
            return 1;
        }
        final Class<?> type = value.getClass();
        if (type == Integer.class)
        {
            out.putByte(offset, INT);
            out.putInt(offset + 1, (Integer)value);
            return 5;
        }
        if (type == Long.class)
        {
            out.putByte(offset, LONG);
            out.putLong(offset + 1, (Long)value);
            return 9;
        }
        if (type == Double.class)
        {
            out.putByte(offset, DOUBLE);
            out.putDouble(offset + 1, (Double)value);
            return 9;
        }
        if (type == String.class)
        {
            out.putByte(offset, STRING);
            return 1 + out.putStringUtf8(offset + 1, (String)value);
        }
        if (type == Boolean.class)
        {
            out.putByte(offset, BOOLEAN);
            out.putByte(offset + 1, (byte)((Boolean)value ? 1 : 0));
            return 2;
        }
        if (type == Byte.class)
        {
            out.putByte(offset, BYTE);
            out.putByte(offset + 1, (Byte)value);
            return 2;
        }
        if (type == Short.class)
        {
            out.putByte(offset, SHORT);
            out.putShort(offset + 1, (Short)value);
            return 3;
        }
        if (type == Character.class)
        {
            out.putByte(offset, CHAR);
            out.putChar(offset + 1, (Character)value);
            return 3;
        }
        if (type == Float.class)
        {
            out.putByte(offset, FLOAT);
            out.putFloat(offset + 1, (Float)value);
            return 5;
        }
        if (type == byte[].class)
        {
            final byte[] bytes = (byte[])value;
            return encodeBytes(bytes, 0, bytes.length, out, offset);
        }
        if (type.isArray() && type.getComponentType().isPrimitive())
        {
            return encodePrimitiveArray(value, out, offset);
        }
        if (value instanceof List<?> list && (type == ArrayList.class || type.getName().startsWith("java.util.")))
        {
            out.putByte(offset, LIST);
            out.putInt(offset + 1, list.size());
            int position = offset + 5;
            for (final Object item : list)
            {
                position += encode(item, out, position, depth + 1);
            }
            return position - offset;
        }
        if (type == Object[].class)
        {
            final Object[] items = (Object[])value;
            out.putByte(offset, OBJECT_ARRAY);
            out.putInt(offset + 1, items.length);
            int position = offset + 5;
            for (final Object item : items)
            {
                position += encode(item, out, position, depth + 1);
            }
            return position - offset;
        }
        final byte[] serialized = serialize(value);
        out.putByte(offset, SERIALIZED);
        out.putInt(offset + 1, serialized.length);
        out.putBytes(offset + 5, serialized);
        return 5 + serialized.length;
    }

    private static int encodePrimitiveArray(final Object value, final MutableDirectBuffer out, final int offset)
    {
        int position = offset + 5;
        final int count;
        if (value instanceof int[] a)
        {
            out.putByte(offset, INT_ARRAY);
            count = a.length;
            for (final int v : a)
            {
                out.putInt(position, v);
                position += 4;
            }
        }
        else if (value instanceof long[] a)
        {
            out.putByte(offset, LONG_ARRAY);
            count = a.length;
            for (final long v : a)
            {
                out.putLong(position, v);
                position += 8;
            }
        }
        else if (value instanceof double[] a)
        {
            out.putByte(offset, DOUBLE_ARRAY);
            count = a.length;
            for (final double v : a)
            {
                out.putDouble(position, v);
                position += 8;
            }
        }
        else if (value instanceof float[] a)
        {
            out.putByte(offset, FLOAT_ARRAY);
            count = a.length;
            for (final float v : a)
            {
                out.putFloat(position, v);
                position += 4;
            }
        }
        else if (value instanceof short[] a)
        {
            out.putByte(offset, SHORT_ARRAY);
            count = a.length;
            for (final short v : a)
            {
                out.putShort(position, v);
                position += 2;
            }
        }
        else if (value instanceof char[] a)
        {
            out.putByte(offset, CHAR_ARRAY);
            count = a.length;
            for (final char v : a)
            {
                out.putChar(position, v);
                position += 2;
            }
        }
        else
        {
            final boolean[] a = (boolean[])value;
            out.putByte(offset, BOOLEAN_ARRAY);
            count = a.length;
            for (final boolean v : a)
            {
                out.putByte(position, (byte)(v ? 1 : 0));
                position += 1;
            }
        }
        out.putInt(offset + 1, count);
        return position - offset;
    }

    /**
     * Encodes {@code length} bytes of {@code bytes} from {@code from} as a byte[] value, without a copy.
     *
     * @param bytes  the source array.
     * @param from   the index of the first byte to encode.
     * @param length how many bytes.
     * @param out    the buffer written to; it must have room for {@code length + 5} bytes from {@code offset}.
     * @param offset where in {@code out} the tag goes.
     * @return bytes written: {@code length + 5}.
     */
    public static int encodeBytes(final byte[] bytes, final int from, final int length,
        final MutableDirectBuffer out, final int offset)
    {
        out.putByte(offset, BYTES);
        out.putInt(offset + 1, length);
        out.putBytes(offset + 5, bytes, from, length);
        return 5 + length;
    }

    private static byte[] serialize(final Object value)
    {
        if (!(value instanceof Serializable))
        {
            throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " to another " +
                "process: it is not Serializable (send primitives, strings, arrays, lists, or Serializable values)");
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(value);
        }
        catch (final NotSerializableException ex)
        {
            throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " to another " +
                "process: it holds a " + ex.getMessage() + ", which is not Serializable", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot serialize a " + value.getClass().getName() + ": " + ex, ex);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes the value encoded at {@code offset}, which must lie within {@code length} bytes.
     *
     * @param in     the buffer holding the encoded value.
     * @param offset where its tag is.
     * @param length how many bytes from {@code offset} it may take; a value claiming more is refused.
     * @return the decoded value (a List decodes as an ArrayList).
     * @throws CodecException when the bytes are not a valid encoding or name a class the filter refuses.
     */
    public Object decode(final DirectBuffer in, final int offset, final int length)
    {
        final long thread = Thread.currentThread().getId();
        final long owner = readerOwner;
        final boolean spare = !spareInUse &&
            (owner == thread || (owner == 0 && READER_OWNER.compareAndSet(this, 0L, thread)));
        // the rule is looked up only if needed
        final Reader reader = (spare ? spareReader : new Reader(filter)).start(in, offset, offset + length);
        spareInUse |= spare;
        try
        {
            final Object value = read(reader, 0);
            if (reader.position != reader.limit)
            {
                throw new CodecException("encoded value has " + (reader.limit - reader.position) + " trailing bytes");
            }
            return value;
        }
        finally
        {
            if (spare)
            {
                spareInUse = false;
            }
        }
    }

    private Object read(final Reader r, final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            throw new CodecException("encoded value nested deeper than " + MAX_DEPTH + " levels");
        }
        final byte tag = r.in.getByte(r.take(1));
        switch (tag)
        {
            case NULL:
                return null;
            case BOOLEAN:
                return r.in.getByte(r.take(1)) != 0;
            case BYTE:
                return r.in.getByte(r.take(1));
            case SHORT:
                return r.in.getShort(r.take(2));
            case CHAR:
                return r.in.getChar(r.take(2));
            case INT:
                return r.in.getInt(r.take(4));
            case LONG:
                return r.in.getLong(r.take(8));
            case FLOAT:
                return r.in.getFloat(r.take(4));
            case DOUBLE:
                return r.in.getDouble(r.take(8));
            case STRING:
            {
                final int n = r.count(1);
                final byte[] bytes = new byte[n];
                r.in.getBytes(r.take(n), bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case BYTES:
            {
                final int n = r.count(1);
                final byte[] bytes = new byte[n];
                r.in.getBytes(r.take(n), bytes);
                return bytes;
            }
            case INT_ARRAY:
            {
                final int[] a = new int[r.count(4)];
                for (int i = 0; i < a.length; i++)
                {
                    a[i] = r.in.getInt(r.take(4));
                }
                return a;
            }
            case LONG_ARRAY:
            {
                final long[] a = new long[r.count(8)];
                for (int i = 0; i < a.length; i++)
                {
                    a[i] = r.in.getLong(r.take(8));
                }
                return a;
            }
            case DOUBLE_ARRAY:
            {
                final double[] a = new double[r.count(8)];
                for (int i = 0; i < a.length; i++)
                {
                    a[i] = r.in.getDouble(r.take(8));
                }
                return a;
            }
            case FLOAT_ARRAY:
            {
                final float[] a = new float[r.count(4)];
                for (int i = 0; i < a.length; i++)
                {
                    a[i] = r.in.getFloat(r.take(4));
                }
                return a;
            }
            case SHORT_ARRAY:
            {
                final short[] a = new short[r.count(2)];
                for (int i = 0; i < a.length; i++)
                {
                    a[i] = r.in.getShort(r.take(2));
                }
                return a;
            }
            case CHAR_ARRAY:
            {
                final char[] a = new char[r.count(2)];
                for (int i = 0; i < a.length; i++)
                {
                    a[i] = r.in.getChar(r.take(2));
                }
                return a;
            }
            case BOOLEAN_ARRAY:
            {
                final boolean[] a = new boolean[r.count(1)];
                for (int i = 0; i < a.length; i++)
                {
                    a[i] = r.in.getByte(r.take(1)) != 0;
                }
                return a;
            }
            case LIST:
            {
                final int n = r.count(1);
                final List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++)
                {
                    list.add(read(r, depth + 1));
                }
                return list;
            }
            case OBJECT_ARRAY:
            {
                final Object[] items = new Object[r.count(1)];
                for (int i = 0; i < items.length; i++)
                {
                    items[i] = read(r, depth + 1);
                }
                return items;
            }
            case SERIALIZED:
            {
                final int n = r.count(1);
                final byte[] bytes = new byte[n];
                r.in.getBytes(r.take(n), bytes);
                return deserialize(bytes, r);
            }
            default:
                throw new CodecException("unknown value tag " + tag + " at offset " + (r.position - 1) +
                    ": the bytes are not an mp4j-encoded value (corrupt, or written by another version)");
        }
    }

    private static Object deserialize(final byte[] bytes, final Reader r)
    {
        final SerialFilter rule = r.rule();
        if (bytes.length > rule.maxBytes)
        {
            throw new CodecException("refused to deserialize a value of " + bytes.length + " bytes, over maxbytes=" +
                rule.maxBytes + "; raise it with -D" + SerialFilter.PROPERTY + "=maxbytes=" + bytes.length);
        }
        final BoundedInput in;
        try
        {
            in = new BoundedInput(bytes, r);
        }
        catch (final IOException ex)
        {
            throw new CodecException("cannot deserialize a value: " + ex, ex);
        }
        try (in)
        {
            return in.readObject();
        }
        catch (final InvalidClassException | InvalidObjectException ex)
        {
            throw new CodecException("refused to deserialize a value: " + (in.refusal != null ? in.refusal :
                ex.getMessage() + " (the filter: " + (r.filter != null ? r.filter : rule) + ")"), ex);
        }
        catch (final ClassNotFoundException ex)
        {
            throw new CodecException("cannot deserialize: class " + ex.getMessage() + " is not on this process's " +
                "class path", ex);
        }
        catch (final StackOverflowError ex)
        {
            throw new CodecException("refused to deserialize a value: it nests too deep for this thread's stack, " +
                "or a hashed collection contains itself", ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (in.refusal != null)
            {
                throw new CodecException("refused to deserialize a value: " + in.refusal, ex);
            }
            throw new CodecException("cannot deserialize a value: " + ex, ex);
        }
    }

    /**
     * Bounds-checked cursor: a corrupt length can never read outside the record. It also carries what one decode
     * may still spend, shared by every serialized part of the value.
     */
    private static final class Reader
    {
        /** Null: the standard rule. */
        final ObjectInputFilter filter;
        DirectBuffer in;
        int limit;
        int position;
        long steps;

        Reader(final ObjectInputFilter filter)
        {
            this.filter = filter;
        }

        /** Ready for one decode of the bytes from {@code position} to {@code limit} of {@code in}. */
        Reader start(final DirectBuffer in, final int position, final int limit)
        {
            this.in = in;
            this.position = position;
            this.limit = limit;
            this.steps = 0;
            return this;
        }

        SerialFilter rule()
        {
            return filter instanceof SerialFilter rule ? rule : SerialFilter.standard();
        }

        int take(final int n)
        {
            if (n < 0 || n > limit - position)
            {
                throw new CodecException("encoded value is truncated or corrupt: needs " + n + " bytes at offset " +
                    position + ", has " + (limit - position));
            }
            final int at = position;
            position += n;
            return at;
        }

        /** Reads an element count and checks that {@code count * minElementSize} bytes can follow. */
        int count(final int minElementSize)
        {
            final int n = in.getInt(take(4));
            if (n < 0 || (long)n * minElementSize > limit - position)
            {
                throw new CodecException("encoded value is corrupt: count " + n + " does not fit in the " +
                    (limit - position) + " bytes left");
            }
            return n;
        }
    }

    /**
     * Java deserialization within the rule's bounds. The filter sees each class, array and back-reference as it
     * comes: it counts a step for each, checks the rule's limits and an array's length against the bytes left.
     * {@link #resolveObject} sees each object once it is read, children first: for a collection, map or entry it
     * works out how many hashCode calls hashing it takes (1 plus its elements', counted along every path, as
     * hashCode walks them), and charges that, so a nest of shared sets is refused before the set holding it
     * hashes it, rather than after an exponential time.
     */
    private static final class BoundedInput extends ObjectInputStream
    {
        private final Reader reader;
        private final SerialFilter rule;
        private final ObjectInputFilter extra;
        private final long length;
        private final IdentityHashMap<Object, Long> hashCalls = new IdentityHashMap<>();
        String refusal;

        BoundedInput(final byte[] bytes, final Reader reader) throws IOException
        {
            super(new ByteArrayInputStream(bytes));
            this.reader = reader;
            this.rule = reader.rule();
            this.extra = reader.filter instanceof SerialFilter ? null : reader.filter; // null: the rule alone
            this.length = bytes.length;
            setObjectInputFilter(this::check);
            enableResolveObject(true);
        }

        private ObjectInputFilter.Status check(final ObjectInputFilter.FilterInfo info)
        {
            if (++reader.steps > rule.maxSteps)
            {
                return refuse("it takes more than maxsteps=" + rule.maxSteps + " steps to read");
            }
            if (info.depth() > rule.maxDepth)
            {
                return refuse("it nests deeper than maxdepth=" + rule.maxDepth);
            }
            if (info.references() > rule.maxRefs)
            {
                return refuse("it holds more than maxrefs=" + rule.maxRefs + " objects and references");
            }
            final Class<?> type = info.serialClass();
            final long elements = info.arrayLength();
            if (elements >= 0 && type != null)
            {
                if (elements > rule.maxArray)
                {
                    return refuse("an array of " + elements + " elements is over maxarray=" + rule.maxArray);
                }
                final long left = Math.max(0, length - info.streamBytes());
                final Class<?> component = type.getComponentType();
                // a primitive element takes its size in the stream; an object at least a byte, and a collection's
                // table may be sized a few times its entries, so objects get slack
                final long most = component != null && component.isPrimitive() ?
                    left / primitiveSize(component) : 8 * left + 64;
                if (elements > most)
                {
                    return refuse("an array claims " + elements + " elements with only " + left +
                        " bytes left in the value (corrupt or crafted)");
                }
            }
            if (extra != null)
            {
                final ObjectInputFilter.Status status = extra.checkInput(info);
                if (status == ObjectInputFilter.Status.REJECTED)
                {
                    return refuse((type != null ? "class " + type.getName() : "the value") +
                        " is refused by the filter " + extra);
                }
                if (status == ObjectInputFilter.Status.ALLOWED || type == null)
                {
                    return status;
                }
            }
            if (type == null)
            {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            final String why = rule.refusal(type);
            return why == null ? ObjectInputFilter.Status.ALLOWED : refuse(why);
        }

        private ObjectInputFilter.Status refuse(final String why)
        {
            if (refusal == null)
            {
                refusal = why;
            }
            return ObjectInputFilter.Status.REJECTED;
        }

        private static int primitiveSize(final Class<?> type)
        {
            return type == long.class || type == double.class ? 8 : type == int.class || type == float.class ? 4 :
                type == short.class || type == char.class ? 2 : 1;
        }

        @Override
        protected Object resolveObject(final Object obj) throws IOException
        {
            // Only the JDK's own collections: a program's Collection may be a view of something else (a manager's
            // SharedList reads shared memory as it is walked, and may hold itself), and is trusted code anyway.
            final boolean jdkCollection = obj != null && obj.getClass().getClassLoader() == null;
            if (jdkCollection && (obj instanceof Collection<?> || obj instanceof Map<?, ?> || obj instanceof Map.Entry<?, ?>))
            {
                long calls = 1;
                if (obj instanceof Collection<?> items)
                {
                    for (final Object item : items)
                    {
                        calls = add(calls, hashCallsOf(item));
                    }
                }
                else if (obj instanceof Map<?, ?> map)
                {
                    for (final Map.Entry<?, ?> entry : map.entrySet())
                    {
                        calls = add(calls, add(hashCallsOf(entry.getKey()), hashCallsOf(entry.getValue())));
                    }
                }
                else
                {
                    final Map.Entry<?, ?> entry = (Map.Entry<?, ?>)obj;
                    calls = add(calls, add(hashCallsOf(entry.getKey()), hashCallsOf(entry.getValue())));
                }
                reader.steps = add(reader.steps, calls);
                if (reader.steps > rule.maxSteps)
                {
                    refuse("rebuilding its collections takes more than maxsteps=" + rule.maxSteps + " steps " +
                        "(hashing a " + obj.getClass().getName() + " alone takes " + calls + " hashCode calls; " +
                        "a nest of shared sets, or raise maxsteps in -D" + SerialFilter.PROPERTY + ")");
                    throw new InvalidObjectException(refusal);
                }
                hashCalls.put(obj, calls);
            }
            return obj;
        }

        private long hashCallsOf(final Object item)
        {
            final Long calls = item == null ? null : hashCalls.get(item);
            return calls == null ? 1 : calls;
        }

        private static long add(final long a, final long b)
        {
            final long sum = a + b;
            return sum < 0 ? Long.MAX_VALUE : sum;
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass desc) throws IOException, ClassNotFoundException
        {
            final ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try
            {
                return Class.forName(desc.getName(), false, loader);
            }
            catch (final ClassNotFoundException ex)
            {
                return super.resolveClass(desc);
            }
        }
    }
}
