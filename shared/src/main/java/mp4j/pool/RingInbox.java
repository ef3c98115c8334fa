package mp4j.pool;

import mp4j.queues.RingFraming;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Reads one ring, putting messages cut into pieces back together ({@link RingFraming}) before handing each on. A
 * record that fits no message means the ring was written over: {@link IllegalStateException}.
 */
final class RingInbox implements MessageHandler
{
    /** What receives whole messages (see {@link PoolMessages}), their kind in their first byte. */
    @FunctionalInterface
    interface Handler
    {
        void onMessage(DirectBuffer buffer, int offset, int length);
    }

    private final Handler handler;
    private final RingFraming.Assembler assembler = new RingFraming.Assembler();

    RingInbox(final Handler handler)
    {
        this.handler = handler;
    }

    /** Forgets a half-received message, for a ring that is being reset. */
    void clear()
    {
        assembler.clear();
    }

    @Override
    public void onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int got = assembler.onRecord(type, buffer, index, length);
        if (got == RingFraming.Assembler.MESSAGE)
        {
            if (assembler.length() < 1)
            {
                throw new IllegalStateException("pool ring out of step: an empty message");
            }
            handler.onMessage(assembler.buffer(), assembler.offset(), assembler.length());
        }
        else if (got == RingFraming.Assembler.STRAY)
        {
            throw new IllegalStateException("pool ring out of step: a record of type " + type + " belongs to no " +
                "message; the pool's shared memory was corrupted");
        }
    }
}
