package mp4j.queues;

/** Python's {@code queue.Empty}: {@code getNowait}, or {@code get} with a timeout, found nothing. */
public final class Empty extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * An error naming the queue.
     *
     * @param message what found nothing, naming the queue.
     */
    public Empty(final String message)
    {
        super(message);
    }
}
