package mp4j.pool;

import mp4j.queues.RingFraming;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.ArrayDeque;

/**
 * Messages waiting to go into one ring, written as space frees up (framed by {@link RingFraming}: a message longer
 * than a record goes in pieces). It never blocks, so the pool's owner can feed every worker and drain every result
 * ring from one thread without two full rings waiting on each other.
 */
final class RingOutbox
{
    private final RingFraming.Writer writer;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    RingOutbox(final RingBuffer ring)
    {
        this.writer = new RingFraming.Writer(ring);
    }

    /** Queues a message (see {@link PoolMessages}), its kind in its first byte. */
    void add(final byte[] message)
    {
        queue.addLast(message);
    }

    boolean isEmpty()
    {
        return queue.isEmpty();
    }

    /** Drops what was not sent, for a ring that is being reset. */
    void clear()
    {
        queue.clear();
        writer.abandon();
    }

    /**
     * Writes as much as the ring takes now.
     *
     * @return true when everything queued has been written.
     */
    boolean pump()
    {
        while (!queue.isEmpty())
        {
            final byte[] message = queue.peekFirst();
            view.wrap(message);
            if (!writer.write(view, 0, message.length))
            {
                return false;
            }
            queue.pollFirst();
        }
        return true;
    }
}
