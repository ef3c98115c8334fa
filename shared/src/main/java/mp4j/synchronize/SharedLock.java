package mp4j.synchronize;


import java.util.concurrent.TimeUnit;

/**
 * A lock shared by the processes of a context: Python's {@code multiprocessing.Lock} (and the base of
 * {@link SharedRLock}). Locally it is a {@link Lock} or {@link RLock}, a word in the session file (drawn by
 * {@link LockWordLayout}); a holder that dies is recovered from, never a deadlock.
 */
public interface SharedLock
{
    /**
     * Blocks until this thread holds the lock, as Python's {@code acquire()}. An interrupt does not end the wait;
     * it stays set for after.
     */
    void acquire();

    /**
     * Waits at most {@code timeout} for the lock, as Python's {@code acquire(timeout=...)}.
     *
     * @param timeout how long to wait; 0 tries once, as {@link #tryAcquire()}.
     * @param unit    the unit of {@code timeout}.
     * @return true when acquired, false when the time ran out.
     * @throws IllegalArgumentException when {@code timeout} is negative.
     */
    boolean acquire(long timeout, TimeUnit unit);

    /**
     * Takes the lock if it is free now, as Python's {@code acquire(block=False)}.
     *
     * @return true when acquired.
     */
    boolean tryAcquire();

    /**
     * Releases the lock; who may depends on the kind (any process for a Lock, the owner for an RLock).
     *
     * @throws IllegalStateException when it is not held (a Lock), or not held by this thread (an RLock), as
     *                               Python's ValueError and RuntimeError.
     */
    void release();

    /**
     * Acquires the lock, for try-with-resources: Python's {@code with lock:}.
     *
     * @return a handle whose {@code close()} releases the lock.
     */
    Acquired acquired();
}
