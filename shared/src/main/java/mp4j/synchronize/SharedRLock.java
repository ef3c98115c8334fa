package mp4j.synchronize;

/**
 * Python's {@code multiprocessing.RLock}: reentrant, owned by one thread of one process, released by its owner only
 * (as many times as it was acquired). Locally an {@link RLock}, drawn by {@link LockWordLayout}.
 */
public interface SharedRLock extends SharedLock
{
    /**
     * Whether the calling thread owns the lock.
     *
     * @return true when this thread of this process holds it (once or more).
     */
    boolean isOwned();
}
