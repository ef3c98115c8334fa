package mp4j.queues;

/**
 * Python's {@code multiprocessing.JoinableQueue}: a queue that counts unfinished tasks. Locally a
 * {@link JoinableQueue}, drawn by {@link QueueLayout}.
 */
public interface SharedJoinableQueue extends SharedQueue
{
    /** One task taken from the queue is done. */
    void taskDone();

    /**
     * Waits until every item put has been taken and marked done, as Python's {@code join()}.
     *
     * @throws InterruptedException when this thread is interrupted while it waits.
     */
    void join() throws InterruptedException;

    /**
     * As {@link #join()}, at most {@code timeoutMillis}.
     *
     * @param timeoutMillis how long to wait, in milliseconds.
     * @return true when every task was done; false when some were still unfinished at the end.
     * @throws InterruptedException when this thread is interrupted while it waits.
     */
    boolean join(long timeoutMillis) throws InterruptedException;
}
