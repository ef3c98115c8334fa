package mp4j.queues;

/**
 * What {@link Connection#wait(java.util.Collection, long)} waits on, as Python's
 * {@code multiprocessing.connection.wait} waits on connections, a queue's reader and process sentinels: a
 * {@link Connection} with a value to receive (or at end of file), a {@link Queue} or {@link SimpleQueue} with a
 * value to get, a process's {@code sentinel()} once the process has ended.
 */
@FunctionalInterface
public interface Waitable
{
    /**
     * Whether a wait on it would return it now. Never blocks.
     *
     * @return true when ready.
     */
    boolean ready();
}
