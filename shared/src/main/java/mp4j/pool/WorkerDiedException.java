package mp4j.pool;

/**
 * The worker JVM running a task died (killed, crashed, or the task called {@code System.exit}) more often than
 * the pool's retries allow. Python's Pool hangs forever here; mp4j re-runs the task on a fresh worker and
 * raises this only when the retries are used up.
 */
public class WorkerDiedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A task, or the whole pool, given up on.
     *
     * @param message which worker died and how, and what is given up: the task it ran, or the pool whose workers
     *                keep dying before they finish any task
     */
    public WorkerDiedException(final String message)
    {
        super(message);
    }
}
