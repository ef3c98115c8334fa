package mp4j.codec;

/**
 * Bytes that are not a valid encoded value, a class the {@link SerialFilter} rule refuses, or a value over one of
 * its limits: where Python raises {@code pickle.UnpicklingError}. A queue or pipe that took the value off to
 * decode it hands it over here: {@link #encoded()}.
 */
public class CodecException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The value's encoded bytes, or null: see {@link #encoded()}. */
    private final byte[] encoded;

    /**
     * An error without a cause.
     *
     * @param message what was wrong and, where there is one, the fix.
     */
    public CodecException(final String message)
    {
        this(message, null, null);
    }

    /**
     * An error with its cause (a failed Java deserialization, say).
     *
     * @param message what was wrong and, where there is one, the fix.
     * @param cause   the underlying error, or null.
     */
    public CodecException(final String message, final Throwable cause)
    {
        this(message, cause, null);
    }

    /**
     * An error that keeps the value's encoded bytes, so a value taken off a queue is not lost.
     *
     * @param message what was wrong and, where there is one, the fix.
     * @param cause   the underlying error, or null.
     * @param encoded the value's encoded bytes, or null; kept as given, not copied.
     */
    public CodecException(final String message, final Throwable cause, final byte[] encoded)
    {
        super(message, cause);
        this.encoded = encoded;
    }

    /**
     * The value's encoded bytes, when the value was taken off a queue or pipe to be decoded: decode them again with
     * {@code new ValueCodec(SerialFilter.of("the.Class")).decode(new UnsafeBuffer(bytes), 0, bytes.length)}, or
     * null.
     *
     * @return the bytes, or null when the value was not taken off anything.
     */
    public byte[] encoded()
    {
        return encoded;
    }

    /**
     * This error, said by {@code who} (a queue, say), with the value's bytes kept.
     *
     * @param who   what took the value off, as the message should name it ("queue 'jobs'").
     * @param bytes the value's encoded bytes.
     * @return a new exception, with this one as its cause.
     */
    public CodecException takenFrom(final String who, final byte[] bytes)
    {
        return new CodecException(who + ": " + getMessage() + "; the value was taken off and is kept in this " +
            "exception (encoded())", this, bytes);
    }
}
