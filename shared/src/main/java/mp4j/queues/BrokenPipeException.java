package mp4j.queues;

/** Python's {@code BrokenPipeError}: a value was sent to a Pipe whose other end is closed by every process. */
public final class BrokenPipeException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * An error naming the connection.
     *
     * @param message what was closed, naming the connection.
     */
    public BrokenPipeException(final String message)
    {
        super(message);
    }
}
