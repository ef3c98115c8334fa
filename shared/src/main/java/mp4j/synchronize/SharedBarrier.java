package mp4j.synchronize;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Barrier}: {@code parties} waiters go on together; a timeout or {@link #abort} breaks it, and
 * waiters then get {@link mp4j.synchronize.BrokenBarrierError}. Locally a {@link Barrier}, drawn by
 * {@link BarrierLayout}.
 */
public interface SharedBarrier
{
    /**
     * The number of parties, as Python's {@code parties}.
     *
     * @return how many processes or threads must wait before all go on.
     */
    int parties();

    /**
     * Parties waiting now, as Python's {@code n_waiting}.
     *
     * @return the count, 0 to {@code parties() - 1}; it may change at once.
     */
    int nWaiting();

    /**
     * Whether the barrier is broken, as Python's {@code broken}.
     *
     * @return true after a timeout or {@link #abort()}, until {@link #reset()}.
     */
    boolean isBroken();

    /**
     * Waits for all parties, as Python's {@code wait()}, with the barrier's own timeout if it has one.
     *
     * @return this party's arrival index, 0 to {@code parties() - 1}.
     * @throws BrokenBarrierError when the barrier is or becomes broken while this party waits.
     */
    int await();

    /**
     * Waits for all parties at most {@code timeout}, as Python's {@code wait(timeout)}; running out of time breaks
     * the barrier for every party.
     *
     * @param timeout how long to wait.
     * @param unit    the unit of {@code timeout}.
     * @return this party's arrival index, 0 to {@code parties() - 1}.
     * @throws BrokenBarrierError       when the barrier is or becomes broken, or the time runs out.
     * @throws IllegalArgumentException when {@code timeout} is negative.
     */
    int await(long timeout, TimeUnit unit);

    /** Breaks the barrier, as Python's {@code abort()}: waiting and later parties get {@link BrokenBarrierError}. */
    void abort();

    /**
     * Returns the barrier to its empty, unbroken state, as Python's {@code reset()}; parties waiting now get
     * {@link BrokenBarrierError}.
     */
    void reset();
}
