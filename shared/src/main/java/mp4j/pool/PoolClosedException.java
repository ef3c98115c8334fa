package mp4j.pool;

/**
 * A task was given to a pool that no longer takes tasks, or was pending when the pool was terminated: where
 * Python's Pool raises {@code ValueError("Pool not running")}. An IllegalStateException, as the pool's state is the
 * cause, not the task.
 */
public class PoolClosedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * A closed pool's refusal.
     *
     * @param message which pool, and why it takes no tasks (shut down, terminated, broken)
     */
    public PoolClosedException(final String message)
    {
        super(message);
    }
}
