package mp4j.synchronize;


import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Semaphore} and {@code BoundedSemaphore}: a count of permits shared by the
 * processes of a context. Locally a {@link Semaphore} or {@link BoundedSemaphore}, drawn by
 * {@link SemaphoreLayout}; the permits a dead process held are given back.
 */
public interface SharedSemaphore
{
    /** Takes a permit, waiting until there is one, as Python's {@code acquire()}. */
    void acquire();

    /**
     * Takes a permit, waiting at most {@code timeout}, as Python's {@code acquire(timeout=...)}.
     *
     * @param timeout how long to wait; 0 tries once.
     * @param unit    the unit of {@code timeout}.
     * @return true when a permit was taken, false when the time ran out.
     * @throws IllegalArgumentException when {@code timeout} is negative.
     */
    boolean acquire(long timeout, TimeUnit unit);

    /**
     * Takes a permit if there is one now, as Python's {@code acquire(block=False)}.
     *
     * @return true when a permit was taken.
     */
    boolean tryAcquire();

    /**
     * Gives a permit back, as Python's {@code release()}.
     *
     * @throws IllegalStateException for a bounded semaphore, when that would pass its bound (Python's ValueError).
     */
    void release();

    /**
     * Takes a permit, for try-with-resources: Python's {@code with semaphore:}.
     *
     * @return a handle whose {@code close()} gives the permit back.
     */
    Acquired acquired();

    /**
     * The permits available now, as Python's {@code get_value()}.
     *
     * @return the count, 0 or more; it may change at once.
     */
    long getValue();
}
