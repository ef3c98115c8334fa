package mp4j.synchronize;


import java.util.concurrent.TimeUnit;

/** A lock shared by the processes of a context: Python's {@code Lock} (and the base of {@link SharedRLock}). */
public interface SharedLock
{
    /** Blocks until held. */
    void acquire();

    /** Waits at most {@code timeout}; true when acquired. */
    boolean acquire(long timeout, TimeUnit unit);

    /** Takes it if free now, as Python's {@code acquire(block=False)}. */
    boolean tryAcquire();

    /** Releases it; who may depends on the kind (any process for a Lock, the owner for an RLock). */
    void release();

    /** Acquires and returns a handle whose {@code close()} releases, for try-with-resources. */
    Acquired acquired();
}
