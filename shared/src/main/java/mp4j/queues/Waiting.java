package mp4j.queues;

import mp4j.util.WaitLoop;

import java.util.function.BooleanSupplier;

/**
 * How a blocked send, receive, put or get waits: a {@link WaitLoop} at {@link WaitLoop.Pace#MESSAGE} (spins a little,
 * yields long, then parks from 1 us up to 1 ms), so a waiter wakes within a millisecond and burns no core while
 * nothing comes. Gives up at its deadline, or when {@code otherSideGone} says nobody can ever answer (checked every
 * {@link #LIVENESS_CHECK_NS}, as it costs a liveness check per process). Interruptible, as Python's {@code get}:
 * an interrupt ends the wait with {@link InterruptedException}, except in the middle of a message.
 */
final class Waiting implements MessageRing.Waiter
{
    static final long LIVENESS_CHECK_NS = 20_000_000L;

    private final WaitLoop loop = new WaitLoop(WaitLoop.Pace.MESSAGE);
    private final BooleanSupplier otherSideGone;
    private boolean started;
    private long timeout;
    private boolean gone;
    private boolean timedOut;

    Waiting(final BooleanSupplier otherSideGone)
    {
        this.otherSideGone = otherSideGone;
    }

    /**
     * Prepares a wait of at most {@code timeoutNanos} (negative: for ever) that starts its clock at its first
     * {@link #await}, so an operation that needs no wait pays no clock reads.
     */
    Waiting lazy(final long timeoutNanos)
    {
        started = false;
        timeout = timeoutNanos;
        gone = false;
        timedOut = false;
        return this;
    }

    /** Starts a wait of at most {@code timeoutNanos}; negative waits for ever. */
    Waiting start(final long timeoutNanos)
    {
        started = true;
        timeout = timeoutNanos;
        // a process lookup costs tens of us: not for short waits
        loop.begin(timeoutNanos < 0 ? WaitLoop.FOREVER : timeoutNanos, LIVENESS_CHECK_NS);
        gone = false;
        timedOut = false;
        return this;
    }

    boolean otherSideGone()
    {
        return gone;
    }

    boolean timedOut()
    {
        return timedOut;
    }

    @Override
    public boolean await(final boolean midMessage) throws InterruptedException
    {
        if (gone)
        {
            return false;
        }
        if (!started)
        {
            start(timeout);
        }
        if (loop.checkDue() && otherSideGone.getAsBoolean())
        {
            gone = true;
            return false;
        }
        if (!midMessage)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException();
            }
            if (loop.timedOut())
            {
                timedOut = true;
                return false;
            }
        }
        loop.idle();
        return true;
    }

    @Override
    public void progressed()
    {
        loop.progressed();
    }
}
