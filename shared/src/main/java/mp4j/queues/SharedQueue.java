package mp4j.queues;

/**
 * Python's {@code Queue}: FIFO values between the processes of a context. Timeouts are in milliseconds; a
 * negative one waits as long as it takes. {@link mp4j.queues.Empty} and {@link mp4j.queues.Full} report a get or
 * put that found nothing or no room in time.
 */
public interface SharedQueue extends AutoCloseable
{
    void put(Object value) throws InterruptedException;

    void put(Object value, boolean block, long timeoutMillis) throws InterruptedException;

    void putNowait(Object value);

    Object get() throws InterruptedException;

    Object get(boolean block, long timeoutMillis) throws InterruptedException;

    Object getNowait();

    /** Values in the queue now (approximate while puts and gets are under way). */
    int qsize();

    boolean empty();

    /** This process will not use this handle any more; others go on. */
    @Override
    void close();
}
