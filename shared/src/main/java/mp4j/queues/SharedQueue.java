package mp4j.queues;

/**
 * Python's {@code Queue}: FIFO values between the processes of a context. Timeouts are in milliseconds; a
 * blocking call refuses a negative one with {@link IllegalArgumentException}, as Python raises ValueError
 * ({@code put(value)} and {@code get()} wait as long as it takes). {@link mp4j.queues.Empty} and {@link mp4j.queues.Full} report a get or
 * put that found nothing or no room in time. Locally a {@link Queue}, drawn by {@link QueueLayout}.
 */
public interface SharedQueue extends AutoCloseable
{
    /**
     * Puts {@code value}, as Python's {@code put(obj)}; a bounded queue's put waits for a place when it is full.
     *
     * @param value the value, sent encoded (null allowed); later changes to the object are not seen.
     * @throws InterruptedException when this thread is interrupted while it waits.
     */
    void put(Object value) throws InterruptedException;

    /**
     * Python's {@code put(obj, block, timeout)}.
     *
     * @param value         the value, sent encoded.
     * @param block         whether to wait for a place in a full bounded queue.
     * @param timeoutMillis how long a blocking put waits, in milliseconds; ignored when not blocking.
     * @throws Full                 when no place came in time (at once when not blocking).
     * @throws InterruptedException  when this thread is interrupted while it waits.
     */
    void put(Object value, boolean block, long timeoutMillis) throws InterruptedException;

    /**
     * Puts {@code value} only if there is a place now, as Python's {@code put_nowait(obj)}.
     *
     * @param value the value, sent encoded.
     * @throws Full when a bounded queue is full.
     */
    void putNowait(Object value);

    /**
     * Gets the next value, waiting for one, as Python's {@code get()}.
     *
     * @return the value, decoded in this process.
     * @throws InterruptedException when this thread is interrupted while it waits.
     */
    Object get() throws InterruptedException;

    /**
     * Python's {@code get(block, timeout)}.
     *
     * @param block         whether to wait for a value.
     * @param timeoutMillis how long a blocking get waits, in milliseconds; ignored when not blocking.
     * @return the value, decoded in this process.
     * @throws Empty                when no value came in time (at once when not blocking).
     * @throws InterruptedException  when this thread is interrupted while it waits.
     */
    Object get(boolean block, long timeoutMillis) throws InterruptedException;

    /**
     * Gets a value only if there is one now, as Python's {@code get_nowait()}.
     *
     * @return the value, decoded in this process.
     * @throws Empty when there is none.
     */
    Object getNowait();

    /**
     * Values in the queue now, as Python's {@code qsize()}.
     *
     * @return the count; approximate while puts and gets are under way.
     */
    int qsize();

    /**
     * Whether the queue is empty now, as Python's {@code empty()}.
     *
     * @return true when there is no value; it may change at once.
     */
    boolean empty();

    /** This process will not use this handle any more; others go on. */
    @Override
    void close();
}
