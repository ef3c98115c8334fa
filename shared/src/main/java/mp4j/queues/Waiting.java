package mp4j.queues;

import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.function.BooleanSupplier;

/**
 * How a blocked send, receive, put or get waits: spins a little, yields, then parks from 1 us up to 1 ms, so a
 * waiter wakes within a millisecond and burns no core while nothing comes. Gives up at its deadline, or when
 * {@code otherSideGone} says nobody can ever answer (checked every {@link #LIVENESS_CHECK_NS}, as it costs a
 * liveness check per process).
 */
final class Waiting implements MessageRing.Waiter
{
    static final long LIVENESS_CHECK_NS = 20_000_000L;

    private final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 2_000, 1_000, 1_000_000);
    private final BooleanSupplier otherSideGone;
    private boolean started;
    private long timeout;
    private long deadline;
    private long nextCheck;
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
        final long now = System.nanoTime();
        deadline = timeoutNanos < 0 ? Long.MAX_VALUE : now + timeoutNanos;
        nextCheck = now + LIVENESS_CHECK_NS; // a process lookup costs tens of us: not for short waits
        gone = false;
        timedOut = false;
        idle.reset();
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
        final long now = System.nanoTime();
        if (now - nextCheck >= 0)
        {
            nextCheck = now + LIVENESS_CHECK_NS;
            if (otherSideGone.getAsBoolean())
            {
                gone = true;
                return false;
            }
        }
        if (!midMessage)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException();
            }
            if (deadline != Long.MAX_VALUE && now - deadline >= 0)
            {
                timedOut = true;
                return false;
            }
        }
        idle.idle();
        return true;
    }

    @Override
    public void progressed()
    {
        idle.reset();
    }
}
