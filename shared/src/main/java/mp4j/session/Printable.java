package mp4j.session;

/**
 * Text from outside this process made safe for a terminal: process names, object and block names, command names
 * and file names come from session files, {@code /dev/shm} and {@code /proc}, where anyone who could write them
 * may have put an escape sequence (ESC [2J clears the screen, ESC ] retitles the window, BEL rings) or a newline
 * that forges a line of output. Every human-readable output of mp4j passes such text through {@link #escape};
 * JSON output escapes by its own rules.
 * <p>
 * Control characters become Python's escapes ({@code \n}, {@code \t}, {@code \x1b}) and Unicode's invisible
 * direction overrides and line separators {@code \u202e}, so what is shown is what is there.
 */
public final class Printable
{
    private Printable()
    {
    }

    /**
     * {@code text} with control characters escaped; the same string when it has none (no allocation).
     *
     * @param text any text, or null
     * @return the text with every character {@link #needsEscape} escaped, newlines included; "null" for null
     */
    public static String escape(final CharSequence text)
    {
        if (text == null)
        {
            return "null";
        }
        final int length = text.length();
        int first = 0;
        while (first < length && !needsEscape(text.charAt(first)))
        {
            first++;
        }
        if (first == length)
        {
            return text.toString();
        }
        final StringBuilder out = new StringBuilder(length + 16).append(text, 0, first);
        for (int i = first; i < length; i++)
        {
            final char c = text.charAt(i);
            if (!needsEscape(c))
            {
                out.append(c);
                continue;
            }
            switch (c)
            {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x100 ? String.format("\\x%02x", (int)c) : String.format("\\u%04x", (int)c));
            }
        }
        return out.toString();
    }

    /**
     * For text that may span lines on purpose (an error message): like {@link #escape}, but newlines stay.
     *
     * @param text any text, or null
     * @return the text with every other character {@link #needsEscape} escaped; "null" for null
     */
    public static String escapeKeepingLines(final CharSequence text)
    {
        if (text == null)
        {
            return "null";
        }
        final StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        for (int i = 0; i <= text.length(); i++)
        {
            if (i == text.length() || text.charAt(i) == '\n')
            {
                out.append(escape(text.subSequence(start, i)));
                if (i < text.length())
                {
                    out.append('\n');
                }
                start = i + 1;
            }
        }
        return out.toString();
    }

    /**
     * True for what a terminal would act on or a reader could not see: C0 and C1 controls, DEL, bidi controls.
     *
     * @param c any char
     * @return whether {@link #escape} escapes it
     */
    public static boolean needsEscape(final char c)
    {
        return Character.isISOControl(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') ||
            c == '\u2028' || c == '\u2029' || c == '\u200e' || c == '\u200f' || c == '\u061c';
    }
}
