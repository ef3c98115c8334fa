package mp4j.codec;

/** Bytes that are not a valid encoded value, or a serialized class the filter refuses. */
public class CodecException extends RuntimeException
{
    public CodecException(final String message)
    {
        super(message);
    }

    public CodecException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
