package mp4j.queues;

/** Python's {@code JoinableQueue}: a queue that counts unfinished tasks. */
public interface SharedJoinableQueue extends SharedQueue
{
    /** One task taken from the queue is done. */
    void taskDone();

    /** Waits until every item put has been taken and marked done. */
    void join() throws InterruptedException;

    /** As {@link #join()}, at most {@code timeoutMillis}; false when tasks were still unfinished then. */
    boolean join(long timeoutMillis) throws InterruptedException;
}
