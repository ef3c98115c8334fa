package mp4j.queues;

/** Python's {@code queue.Full}: {@code putNowait}, or {@code put} with a timeout, found no room. */
public final class Full extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * An error naming the queue.
     *
     * @param message what found no room, naming the queue.
     */
    public Full(final String message)
    {
        super(message);
    }
}
