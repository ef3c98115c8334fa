package mp4j.synchronize;


import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Python's {@code Condition}: wait for a notification while holding its lock. */
public interface SharedCondition
{
    /** The lock it waits with. */
    SharedLock getLock();

    void acquire();

    boolean acquire(long timeout, TimeUnit unit);

    void release();

    Acquired acquired();

    /** Waits for a notification; the caller holds the lock, and holds it again on return. */
    void await();

    /** As {@link #await()}, at most {@code timeout}; false when the time ran out. */
    boolean await(long timeout, TimeUnit unit);

    /** Waits until {@code predicate} holds or the time is up (Python's {@code wait_for}); returns the predicate. */
    boolean waitFor(BooleanSupplier predicate, long timeout, TimeUnit unit);

    /** Wakes up to {@code n} waiters; the caller holds the lock. */
    void notify(int n);

    void signal();

    void signalAll();
}
