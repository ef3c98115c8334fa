package mp4j.launcher;

import mp4j.session.Printable;

import java.util.Collection;
import java.util.Map;

/** Writes maps, lists, strings, numbers, booleans and nulls as JSON: all the CLI's --json output needs. */
public final class Json
{
    private Json()
    {
    }

    public static String write(final Object value)
    {
        final StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(final Object value, final StringBuilder out)
    {
        if (value == null)
        {
            out.append("null");
        }
        else if (value instanceof String s)
        {
            string(s, out);
        }
        else if (value instanceof Character c)
        {
            string(String.valueOf(c), out);
        }
        else if (value instanceof Double d && (d.isNaN() || d.isInfinite()))
        {
            out.append("null");
        }
        else if (value instanceof Float f && (f.isNaN() || f.isInfinite()))
        {
            out.append("null");
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.append(value);
        }
        else if (value instanceof Map<?, ?> map)
        {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                string(String.valueOf(entry.getKey()), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        }
        else if (value instanceof Collection<?> list)
        {
            out.append('[');
            boolean first = true;
            for (final Object item : list)
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                write(item, out);
            }
            out.append(']');
        }
        else if (value instanceof long[] longs)
        {
            out.append('[');
            for (int i = 0; i < longs.length; i++)
            {
                out.append(i == 0 ? "" : ",").append(longs[i]);
            }
            out.append(']');
        }
        else
        {
            string(value.toString(), out);
        }
    }

    private static void string(final String s, final StringBuilder out)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20 || Printable.needsEscape(c)) // also DEL, C1 controls and bidi overrides
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
