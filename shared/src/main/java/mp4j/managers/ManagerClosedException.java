package mp4j.managers;

/**
 * A call on a proxy whose {@link Manager} is shut down (Python raises on such a call too, as its manager process
 * is gone). Nothing of the manager can be used any more; its blocks in /dev/shm are removed.
 */
public class ManagerClosedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public ManagerClosedException(final String message)
    {
        super(message);
    }
}
