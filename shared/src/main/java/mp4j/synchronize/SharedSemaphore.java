package mp4j.synchronize;


import java.util.concurrent.TimeUnit;

/** Python's {@code Semaphore} and {@code BoundedSemaphore}. */
public interface SharedSemaphore
{
    void acquire();

    boolean acquire(long timeout, TimeUnit unit);

    boolean tryAcquire();

    /** Gives a permit back; a bounded semaphore throws IllegalStateException when that would pass its bound. */
    void release();

    Acquired acquired();

    /** Permits available now (Python's {@code get_value()}). */
    long getValue();
}
