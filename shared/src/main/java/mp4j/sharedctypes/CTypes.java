package mp4j.sharedctypes;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Python's type codes ({@code array} and {@code multiprocessing.sharedctypes}) with their C sizes on 64-bit
 * Linux, and element access on them. Every element is at an offset aligned to its size, so each read and write is
 * single-copy atomic; integer arithmetic is a hardware atomic (bytes and shorts by CAS on their enclosing int).
 * Stores past the type's range wrap as C (and ctypes) do: {@code 'B'} set to 300 holds 44.
 * <pre>
 *  code  C type              bytes  Java view (getLong / getDouble)
 *  ----  ------------------  -----  ---------------------------------------------
 *   b    signed char           1    -128..127
 *   B    unsigned char         1    0..255
 *   h    short                 2    -32768..32767
 *   H    unsigned short        2    0..65535
 *   i    int                   4    int range
 *   I    unsigned int          4    0..4294967295
 *   l    long                  8    long (8 bytes on Linux, as CPython's ctypes)
 *   L    unsigned long         8    the 64-bit pattern (Long.toUnsignedString to print)
 *   q    long long             8    long
 *   Q    unsigned long long    8    the 64-bit pattern
 *   f    float                 4    getDouble; getLong truncates
 *   d    double                8    getDouble; getLong truncates
 *   c    char                  1    0..255 (Python: a bytes of length 1)
 * </pre>
 */
public final class CTypes
{
    public static final String CODES = "bBhHiIlLqQfdc";

    private CTypes()
    {
    }

    /** Bytes of one element of {@code code}; throws for an unknown code. */
    public static int size(final int code)
    {
        return switch (code)
        {
            case 'b', 'B', 'c' -> 1;
            case 'h', 'H' -> 2;
            case 'i', 'I', 'f' -> 4;
            case 'l', 'L', 'q', 'Q', 'd' -> 8;
            default -> throw new IllegalArgumentException("unknown type code " + describeCode(code) +
                "; use one of b B h H i I l L q Q f d c (Python's array type codes)");
        };
    }

    public static boolean isInteger(final int code)
    {
        return "bBhHiIlLqQ".indexOf(code) >= 0;
    }

    public static boolean isFloat(final int code)
    {
        return code == 'f' || code == 'd';
    }

    public static boolean isUnsigned(final int code)
    {
        return "BHILQc".indexOf(code) >= 0;
    }

    static String describeCode(final int code)
    {
        return code >= 0x20 && code < 0x7F ? "'" + (char)code + "'" : "0x" + Integer.toHexString(code);
    }

    /** {@code value} as an element of {@code code} holds it: truncated, then sign- or zero-extended. */
    public static long wrap(final int code, final long value)
    {
        return switch (code)
        {
            case 'b' -> (byte)value;
            case 'B', 'c' -> value & 0xFF;
            case 'h' -> (short)value;
            case 'H' -> value & 0xFFFF;
            case 'i' -> (int)value;
            case 'I' -> value & 0xFFFF_FFFFL;
            default -> value;
        };
    }

    public static long getLong(final AtomicBuffer buffer, final int at, final int code)
    {
        return switch (code)
        {
            case 'b' -> buffer.getByteVolatile(at);
            case 'B', 'c' -> buffer.getByteVolatile(at) & 0xFF;
            case 'h' -> buffer.getShortVolatile(at);
            case 'H' -> buffer.getShortVolatile(at) & 0xFFFF;
            case 'i' -> buffer.getIntVolatile(at);
            case 'I' -> buffer.getIntVolatile(at) & 0xFFFF_FFFFL;
            case 'f' -> (long)Float.intBitsToFloat(buffer.getIntVolatile(at));
            case 'd' -> (long)Double.longBitsToDouble(buffer.getLongVolatile(at));
            default -> buffer.getLongVolatile(at);
        };
    }

    public static void putLong(final AtomicBuffer buffer, final int at, final int code, final long value)
    {
        switch (code)
        {
            case 'b', 'B', 'c' -> buffer.putByteVolatile(at, (byte)value);
            case 'h', 'H' -> buffer.putShortVolatile(at, (short)value);
            case 'i', 'I' -> buffer.putIntOrdered(at, (int)value);
            case 'f' -> buffer.putIntOrdered(at, Float.floatToRawIntBits(value));
            case 'd' -> buffer.putLongOrdered(at, Double.doubleToRawLongBits(value));
            default -> buffer.putLongOrdered(at, value);
        }
    }

    public static double getDouble(final AtomicBuffer buffer, final int at, final int code)
    {
        return switch (code)
        {
            case 'd' -> Double.longBitsToDouble(buffer.getLongVolatile(at));
            case 'f' -> Float.intBitsToFloat(buffer.getIntVolatile(at));
            case 'L', 'Q' -> unsignedToDouble(buffer.getLongVolatile(at));
            default -> getLong(buffer, at, code);
        };
    }

    public static void putDouble(final AtomicBuffer buffer, final int at, final int code, final double value)
    {
        switch (code)
        {
            case 'd' -> buffer.putLongOrdered(at, Double.doubleToRawLongBits(value));
            case 'f' -> buffer.putIntOrdered(at, Float.floatToRawIntBits((float)value));
            default -> putLong(buffer, at, code, (long)value);
        }
    }

    private static double unsignedToDouble(final long bits)
    {
        return bits >= 0 ? bits : (double)(bits >>> 1) * 2.0 + (bits & 1);
    }

    /** Atomically adds {@code delta}, wrapping as C; returns the previous value. Integer codes only. */
    public static long getAndAdd(final AtomicBuffer buffer, final int at, final int code, final long delta)
    {
        return switch (code)
        {
            case 'i' -> buffer.getAndAddInt(at, (int)delta);
            case 'I' -> buffer.getAndAddInt(at, (int)delta) & 0xFFFF_FFFFL;
            case 'l', 'L', 'q', 'Q' -> buffer.getAndAddLong(at, delta);
            default ->
            {
                while (true)
                {
                    final long current = getLong(buffer, at, code);
                    if (compareAndSetSmall(buffer, at, code, current, current + delta))
                    {
                        yield current;
                    }
                }
            }
        };
    }

    /** Atomically sets {@code update} if the element holds {@code expected} (both taken as the type wraps them). */
    public static boolean compareAndSet(
        final AtomicBuffer buffer, final int at, final int code, final long expected, final long update)
    {
        return switch (code)
        {
            case 'i', 'I' -> buffer.compareAndSetInt(at, (int)expected, (int)update);
            case 'l', 'L', 'q', 'Q' -> buffer.compareAndSetLong(at, expected, update);
            default -> compareAndSetSmall(buffer, at, code, expected, update);
        };
    }

    /** Bytes and shorts: CAS on the aligned int around them, retried while only their neighbours change. */
    private static boolean compareAndSetSmall(
        final AtomicBuffer buffer, final int at, final int code, final long expected, final long update)
    {
        final int word = at & ~3;
        final int shift = (at & 3) * 8;
        final int bits = size(code) * 8;
        final int mask = (int)((1L << bits) - 1) << shift;
        final long want = wrap(code, expected);
        while (true)
        {
            final int current = buffer.getIntVolatile(word);
            final long element = wrap(code, (current & mask) >>> shift);
            if (element != want)
            {
                return false;
            }
            final int replaced = (current & ~mask) | (((int)update << shift) & mask);
            if (buffer.compareAndSetInt(word, current, replaced))
            {
                return true;
            }
        }
    }

    /** The element as Python would print it. */
    public static String format(final AtomicBuffer buffer, final int at, final int code)
    {
        return switch (code)
        {
            case 'f', 'd' -> Double.toString(getDouble(buffer, at, code));
            case 'L', 'Q' -> Long.toUnsignedString(getLong(buffer, at, code));
            case 'c' -> "b'" + escapeByte((int)getLong(buffer, at, code)) + "'";
            default -> Long.toString(getLong(buffer, at, code));
        };
    }

    /**
     * The element as the inspector shows it ({@code docs/inspect-json.md}): a Long for the integer codes (an
     * unsigned {@code 'L'} or {@code 'Q'} above Long.MAX_VALUE as a BigInteger), a Double for {@code 'f'} and
     * {@code 'd'}, and Python's repr of the byte for {@code 'c'} ({@code "b'A'"}).
     */
    public static Object value(final AtomicBuffer buffer, final int at, final int code)
    {
        return switch (code)
        {
            case 'f', 'd' -> getDouble(buffer, at, code);
            case 'L', 'Q' ->
            {
                final long bits = getLong(buffer, at, code);
                yield bits >= 0 ? (Object)bits : new java.math.BigInteger(Long.toUnsignedString(bits));
            }
            case 'c' -> format(buffer, at, code);
            default -> getLong(buffer, at, code);
        };
    }

    private static String escapeByte(final int b)
    {
        return b >= 0x20 && b < 0x7F && b != '\'' && b != '\\' ? String.valueOf((char)b) : String.format("\\x%02x", b);
    }
}
