package mp4j.pool;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

import java.nio.ByteOrder;

/** Reads one ring, putting {@link PoolMessages#FRAGMENT}s back together before handing a message on. */
final class RingInbox implements MessageHandler
{
    /** What receives whole messages. */
    @FunctionalInterface
    interface Handler
    {
        void onMessage(int type, DirectBuffer buffer, int offset, int length);
    }

    private final Handler handler;
    private final ExpandableArrayBuffer assembly = new ExpandableArrayBuffer(1024);
    private int assembled = -1;

    RingInbox(final Handler handler)
    {
        this.handler = handler;
    }

    /** Forgets a half-received message, for a ring that is being reset. */
    void clear()
    {
        assembled = -1;
    }

    @Override
    public void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (type != PoolMessages.FRAGMENT)
        {
            handler.onMessage(type, buffer, index, length);
            return;
        }
        final int originalType = buffer.getInt(index + PoolMessages.FRAGMENT_TYPE, ByteOrder.LITTLE_ENDIAN);
        final int total = buffer.getInt(index + PoolMessages.FRAGMENT_TOTAL, ByteOrder.LITTLE_ENDIAN);
        final int at = buffer.getInt(index + PoolMessages.FRAGMENT_AT, ByteOrder.LITTLE_ENDIAN);
        final int pieceLength = length - PoolMessages.FRAGMENT_BYTES;
        if (at == 0)
        {
            assembled = 0;
        }
        if (at != assembled || total < 0 || pieceLength < 0 || at + pieceLength > total)
        {
            throw new IllegalStateException("pool ring out of step: fragment at " + at + " of " + total +
                " after " + assembled + " bytes; the pool's shared memory was corrupted");
        }
        assembly.putBytes(at, buffer, index + PoolMessages.FRAGMENT_BYTES, pieceLength);
        assembled += pieceLength;
        if (assembled == total)
        {
            assembled = -1;
            handler.onMessage(originalType, assembly, 0, total);
        }
    }
}
