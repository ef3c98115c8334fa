package mp4j.synchronize;


import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code multiprocessing.Condition}: wait for a notification while holding its lock. Locally a
 * {@link Condition}, drawn by {@link ConditionLayout}.
 */
public interface SharedCondition
{
    /**
     * The lock it waits with, as Python's condition holds one.
     *
     * @return the lock given to the condition, or the RLock it made for itself.
     */
    SharedLock getLock();

    /** Acquires the condition's lock, waiting as long as it takes. */
    void acquire();

    /**
     * Acquires the condition's lock, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait; 0 tries once.
     * @param unit    the unit of {@code timeout}.
     * @return true when acquired, false when the time ran out.
     * @throws IllegalArgumentException when {@code timeout} is negative.
     */
    boolean acquire(long timeout, TimeUnit unit);

    /**
     * Releases the condition's lock.
     *
     * @throws IllegalStateException when this thread may not release it (see {@link SharedLock#release()}).
     */
    void release();

    /**
     * Acquires the condition's lock, for try-with-resources: Python's {@code with condition:}.
     *
     * @return a handle whose {@code close()} releases the lock.
     */
    Acquired acquired();

    /**
     * Waits for a notification, as Python's {@code wait()}: releases the lock, waits, and holds it again on return.
     *
     * @throws IllegalStateException when the calling thread does not hold the lock (Python's RuntimeError).
     */
    void await();

    /**
     * As {@link #await()}, at most {@code timeout}: Python's {@code wait(timeout)}.
     *
     * @param timeout how long to wait for a notification.
     * @param unit    the unit of {@code timeout}.
     * @return false when the time ran out; the lock is held again either way.
     * @throws IllegalArgumentException when {@code timeout} is negative.
     * @throws IllegalStateException    when the calling thread does not hold the lock.
     */
    boolean await(long timeout, TimeUnit unit);

    /**
     * Waits until {@code predicate} holds or the time is up, as Python's {@code wait_for}; the predicate is
     * evaluated with the lock held, first before any wait.
     *
     * @param predicate what to wait for; it reads shared state, so it runs in this process.
     * @param timeout   how long to wait in all.
     * @param unit      the unit of {@code timeout}.
     * @return the predicate's last answer: false when the time ran out first.
     * @throws IllegalStateException when the calling thread does not hold the lock.
     */
    boolean waitFor(BooleanSupplier predicate, long timeout, TimeUnit unit);

    /**
     * Wakes up to {@code n} waiters, as Python's {@code notify(n)}.
     *
     * @param n how many waiters to wake at most, 0 or more.
     * @throws IllegalArgumentException when {@code n} is negative.
     * @throws IllegalStateException    when the calling thread does not hold the lock.
     */
    void notify(int n);

    /**
     * Wakes one waiter, as Python's {@code notify()}.
     *
     * @throws IllegalStateException when the calling thread does not hold the lock.
     */
    void signal();

    /**
     * Wakes every waiter, as Python's {@code notify_all()}.
     *
     * @throws IllegalStateException when the calling thread does not hold the lock.
     */
    void signalAll();
}
