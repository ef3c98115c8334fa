package mp4j.synchronize;

/** Python's {@code RLock}: reentrant, owned by one thread, released by its owner only. */
public interface SharedRLock extends SharedLock
{
    /** True when the calling thread owns it. */
    boolean isOwned();
}
