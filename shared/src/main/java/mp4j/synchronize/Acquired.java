package mp4j.synchronize;

/**
 * A held lock, for try-with-resources: {@code try (var held = lock.acquired()) { ... }} releases it at the end of
 * the block, as Python's {@code with lock:}. The same object is returned for every acquisition (nothing is
 * allocated); closing it releases once.
 */
@FunctionalInterface
public interface Acquired extends AutoCloseable
{
    /** Releases the lock. */
    @Override
    void close();
}
