package mp4j.pool;

/** A task was given to a pool that no longer takes tasks, or was pending when the pool was terminated. */
public class PoolClosedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public PoolClosedException(final String message)
    {
        super(message);
    }
}
