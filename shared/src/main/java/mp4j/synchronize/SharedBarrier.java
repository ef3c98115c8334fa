package mp4j.synchronize;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Barrier}: {@code parties} waiters go on together; a timeout or {@link #abort} breaks it, and
 * waiters then get {@link mp4j.synchronize.BrokenBarrierError}.
 */
public interface SharedBarrier
{
    int parties();

    /** Parties waiting now (Python's {@code n_waiting}). */
    int nWaiting();

    boolean isBroken();

    /** Waits for all parties; returns this party's arrival index, 0..parties-1. */
    int await();

    int await(long timeout, TimeUnit unit);

    void abort();

    void reset();
}
