package mp4j.codec;

/**
 * Bytes that are not a valid encoded value, a class the {@link SerialFilter} rule refuses, or a value over one of
 * its limits. A queue or pipe that took the value off to decode it hands it over here: {@link #encoded()}.
 */
public class CodecException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final byte[] encoded;

    public CodecException(final String message)
    {
        this(message, null, null);
    }

    public CodecException(final String message, final Throwable cause)
    {
        this(message, cause, null);
    }

    public CodecException(final String message, final Throwable cause, final byte[] encoded)
    {
        super(message, cause);
        this.encoded = encoded;
    }

    /**
     * The value's encoded bytes, when the value was taken off a queue or pipe to be decoded: decode them again with
     * {@code new ValueCodec(SerialFilter.of("the.Class")).decode(new UnsafeBuffer(bytes), 0, bytes.length)}, or
     * null.
     */
    public byte[] encoded()
    {
        return encoded;
    }

    /** This error, said by {@code who} (a queue, say), with the value's bytes kept. */
    public CodecException takenFrom(final String who, final byte[] bytes)
    {
        return new CodecException(who + ": " + getMessage() + "; the value was taken off and is kept in this " +
            "exception (encoded())", this, bytes);
    }
}
