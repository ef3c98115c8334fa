package mp4j.pool;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * Messages waiting to go into one ring, written as space frees up; a message longer than the ring's largest
 * record goes as {@link PoolMessages#FRAGMENT}s. It never blocks, so the pool's owner can feed every worker and
 * drain every result ring from one thread without two full rings waiting on each other.
 */
final class RingOutbox
{
    private final RingBuffer ring;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer piece;
    private int sentOfHead;

    private record Outgoing(int type, byte[] bytes)
    {
    }

    RingOutbox(final RingBuffer ring)
    {
        this.ring = ring;
        this.piece = new UnsafeBuffer(new byte[ring.maxMsgLength()]);
    }

    void add(final int type, final byte[] bytes)
    {
        queue.addLast(new Outgoing(type, bytes));
    }

    boolean isEmpty()
    {
        return queue.isEmpty();
    }

    /** Drops what was not sent, for a ring that is being reset. */
    void clear()
    {
        queue.clear();
        sentOfHead = 0;
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
            final Outgoing head = queue.peekFirst();
            final byte[] bytes = head.bytes();
            if (bytes.length <= ring.maxMsgLength())
            {
                view.wrap(bytes);
                if (!ring.write(head.type(), view, 0, bytes.length))
                {
                    return false;
                }
            }
            else
            {
                final int max = ring.maxMsgLength() - PoolMessages.FRAGMENT_BYTES;
                while (sentOfHead < bytes.length)
                {
                    final int length = Math.min(max, bytes.length - sentOfHead);
                    piece.putInt(PoolMessages.FRAGMENT_TYPE, head.type(), ByteOrder.LITTLE_ENDIAN);
                    piece.putInt(PoolMessages.FRAGMENT_TOTAL, bytes.length, ByteOrder.LITTLE_ENDIAN);
                    piece.putInt(PoolMessages.FRAGMENT_AT, sentOfHead, ByteOrder.LITTLE_ENDIAN);
                    piece.putBytes(PoolMessages.FRAGMENT_BYTES, bytes, sentOfHead, length);
                    if (!ring.write(PoolMessages.FRAGMENT, piece, 0, PoolMessages.FRAGMENT_BYTES + length))
                    {
                        return false;
                    }
                    sentOfHead += length;
                }
                sentOfHead = 0;
            }
            queue.pollFirst();
        }
        return true;
    }
}
