package mp4j.synchronize;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Event}: a flag any process sets, clears and waits for. Locally an {@link Event},
 * drawn by {@link EventLayout}.
 */
public interface SharedEvent
{
    /**
     * Whether the flag is set, as Python's {@code is_set()}.
     *
     * @return true when set.
     */
    boolean isSet();

    /** Sets the flag and wakes every waiter, as Python's {@code set()}. */
    void set();

    /** Clears the flag; later waiters wait until it is set again, as Python's {@code clear()}. */
    void clear();

    /**
     * Waits until the flag is set, as Python's {@code wait()} without a timeout.
     *
     * @return true (Python's answer, which says the flag is set).
     */
    boolean await();

    /**
     * Waits until the flag is set or the time is up, as Python's {@code wait(timeout)}.
     *
     * @param timeout how long to wait; 0 only looks.
     * @param unit    the unit of {@code timeout}.
     * @return whether the flag is set at the end of the wait.
     * @throws IllegalArgumentException when {@code timeout} is negative.
     */
    boolean await(long timeout, TimeUnit unit);
}
