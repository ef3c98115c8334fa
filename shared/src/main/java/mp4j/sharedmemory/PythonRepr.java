package mp4j.sharedmemory;

import java.util.Arrays;

/** Python's view of the values a ShareableList holds: {@code repr}, type names and {@code ==}. */
public final class PythonRepr
{
    private PythonRepr()
    {
    }

    /**
     * Python's type name for a value read from a ShareableList.
     *
     * @param value a value as {@link ShareableList#get(int)} returns it.
     * @return "int", "float", "bool", "str", "bytes" or "None"; a Java class's simple name for anything else.
     */
    public static String typeName(final Object value)
    {
        if (value == null)
        {
            return "None";
        }
        if (value instanceof Boolean)
        {
            return "bool";
        }
        if (value instanceof Double || value instanceof Float)
        {
            return "float";
        }
        if (value instanceof Number)
        {
            return "int";
        }
        if (value instanceof String)
        {
            return "str";
        }
        return value instanceof byte[] ? "bytes" : value.getClass().getSimpleName();
    }

    /**
     * Python's {@code repr}: {@code None}, {@code True}, {@code 2.5}, {@code 'text'}, {@code b'\x00a'}.
     *
     * @param value a value as {@link ShareableList#get(int)} returns it.
     * @return what Python would print for it.
     */
    public static String repr(final Object value)
    {
        if (value == null)
        {
            return "None";
        }
        if (value instanceof Boolean b)
        {
            return b ? "True" : "False";
        }
        if (value instanceof Double || value instanceof Float)
        {
            return floatRepr(((Number)value).doubleValue());
        }
        if (value instanceof String s)
        {
            return stringRepr(s);
        }
        if (value instanceof byte[] bytes)
        {
            return bytesRepr(bytes);
        }
        return String.valueOf(value);
    }

    static String floatRepr(final double d)
    {
        if (Double.isNaN(d))
        {
            return "nan";
        }
        if (Double.isInfinite(d))
        {
            return d > 0 ? "inf" : "-inf";
        }
        final String java = Double.toString(d); // shortest digits that round-trip, as Python's repr
        final int e = java.indexOf('E');
        if (e < 0)
        {
            return java;
        }
        final String mantissa = java.substring(0, e).endsWith(".0") ? java.substring(0, e - 2) : java.substring(0, e);
        final int exponent = Integer.parseInt(java.substring(e + 1));
        if (exponent >= -4 && exponent < 16)
        {
            final String plain = new java.math.BigDecimal(java).stripTrailingZeros().toPlainString();
            return plain.indexOf('.') >= 0 ? plain : plain + ".0";
        }
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    private static String stringRepr(final String s)
    {
        final char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        final StringBuilder out = new StringBuilder().append(quote);
        s.codePoints().forEach(c ->
        {
            if (c == quote || c == '\\')
            {
                out.append('\\').append((char)c);
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else if (c == '\r')
            {
                out.append("\\r");
            }
            else if (c == '\t')
            {
                out.append("\\t");
            }
            else if (c < 0x20 || c == 0x7f)
            {
                out.append(String.format("\\x%02x", c));
            }
            else
            {
                out.appendCodePoint(c);
            }
        });
        return out.append(quote).toString();
    }

    private static String bytesRepr(final byte[] bytes)
    {
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (final byte b : bytes)
        {
            hasSingle |= b == '\'';
            hasDouble |= b == '"';
        }
        final char quote = hasSingle && !hasDouble ? '"' : '\'';
        final StringBuilder out = new StringBuilder("b").append(quote);
        for (final byte raw : bytes)
        {
            final int b = raw & 0xff;
            if (b == quote || b == '\\')
            {
                out.append('\\').append((char)b);
            }
            else if (b == '\n')
            {
                out.append("\\n");
            }
            else if (b == '\r')
            {
                out.append("\\r");
            }
            else if (b == '\t')
            {
                out.append("\\t");
            }
            else if (b < 0x20 || b >= 0x7f)
            {
                out.append(String.format("\\x%02x", b));
            }
            else
            {
                out.append((char)b);
            }
        }
        return out.append(quote).toString();
    }

    /**
     * Python's {@code a == b} for ShareableList values: numbers (and bools) by value, bytes by content.
     *
     * @param a a value, or null (None).
     * @param b another, or null.
     * @return whether Python would say they are equal.
     */
    public static boolean pyEquals(final Object a, final Object b)
    {
        if (a == null || b == null)
        {
            return a == b;
        }
        if (isNumber(a) && isNumber(b))
        {
            final boolean aIntegral = !(a instanceof Double || a instanceof Float);
            final boolean bIntegral = !(b instanceof Double || b instanceof Float);
            if (aIntegral && bIntegral)
            {
                return asLong(a) == asLong(b);
            }
            if (!aIntegral && !bIntegral)
            {
                return ((Number)a).doubleValue() == ((Number)b).doubleValue();
            }
            final double d = ((Number)(aIntegral ? b : a)).doubleValue();
            final long l = asLong(aIntegral ? a : b);
            // exact, as Python compares int and float: no rounding of large longs to double
            return d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63 && (long)d == l;
        }
        if (a instanceof byte[] x && b instanceof byte[] y)
        {
            return Arrays.equals(x, y);
        }
        return a.equals(b);
    }

    private static boolean isNumber(final Object o)
    {
        return o instanceof Number || o instanceof Boolean;
    }

    private static long asLong(final Object o)
    {
        return o instanceof Boolean b ? (b ? 1 : 0) : ((Number)o).longValue();
    }
}
