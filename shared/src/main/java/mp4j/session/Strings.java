package mp4j.session;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/** Fixed-width, NUL-padded UTF-8 text fields of the session file. */
public final class Strings
{
    private Strings()
    {
    }

    /**
     * Writes {@code value} into {@code width} bytes, cut at a character boundary if too long, NUL-padded.
     *
     * @param buffer where to write
     * @param offset the field's offset in {@code buffer}
     * @param width  the field's length in bytes; all of them are written
     * @param value  the text, not null; a NUL in it ends it for {@link #get}
     */
    public static void put(final MutableDirectBuffer buffer, final int offset, final int width, final String value)
    {
        final byte[] bytes = fit(value, width);
        buffer.putBytes(offset, bytes);
        buffer.setMemory(offset + bytes.length, width - bytes.length, (byte)0);
    }

    /**
     * Reads a field {@link #put} wrote: the bytes up to the first NUL, or all {@code width} of them.
     *
     * @param buffer where to read
     * @param offset the field's offset in {@code buffer}
     * @param width  the field's length in bytes
     * @return the text; bytes that are not UTF-8 become U+FFFD
     */
    public static String get(final DirectBuffer buffer, final int offset, final int width)
    {
        int length = 0;
        while (length < width && buffer.getByte(offset + length) != 0)
        {
            length++;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] fit(final String value, final int width)
    {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= width)
        {
            return bytes;
        }
        int end = width;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--; // do not cut a multi-byte character in half
        }
        final byte[] cut = new byte[end];
        System.arraycopy(bytes, 0, cut, 0, end);
        return cut;
    }
}
