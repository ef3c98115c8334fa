package mp4j.util;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The one wait loop: it counts its waiter, keeps its timeout and check cadence, and keeps or gives up interrupts. */
class WaitLoopTest
{
    private final UnsafeBuffer shared = new UnsafeBuffer(ByteBuffer.allocateDirect(64));

    @Test
    void countsItsWaiterUntilItEnds()
    {
        final WaitLoop wait = WaitLoop.ofThisThread().begin(WaitLoop.FOREVER, 0, shared, 8);
        try
        {
            assertEquals(1, shared.getIntVolatile(8));
            wait.idleUninterruptibly();
            assertEquals(1, shared.getIntVolatile(8));
        }
        finally
        {
            wait.end();
        }
        assertEquals(0, shared.getIntVolatile(8));
        wait.end();
        assertEquals(0, shared.getIntVolatile(8), "a second end counts out nobody");
    }

    @Test
    void timesOutNotBeforeItsTimeoutAndNeverWhenForever()
    {
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(20);
        final long before = System.nanoTime();
        final WaitLoop wait = new WaitLoop(WaitLoop.Pace.MESSAGE).begin(timeoutNs, 0);
        while (!wait.timedOut())
        {
            wait.idle();
        }
        assertTrue(System.nanoTime() - before >= timeoutNs, "timed out early");

        assertTrue(new WaitLoop(WaitLoop.Pace.LOCK).begin(0, 0).timedOut(), "0: at once");

        final WaitLoop forever = new WaitLoop(WaitLoop.Pace.LOCK).begin(WaitLoop.FOREVER, 0);
        final long start = System.nanoTime();
        while (System.nanoTime() - start < timeoutNs)
        {
            forever.idle();
            assertFalse(forever.timedOut());
        }
    }

    @Test
    void saysACheckIsDueOncePerInterval()
    {
        final long everyNs = TimeUnit.MILLISECONDS.toNanos(5);
        final long before = System.nanoTime();
        final WaitLoop wait = new WaitLoop(WaitLoop.Pace.LOCK).begin(WaitLoop.FOREVER, everyNs);
        assertFalse(wait.checkDue(), "not at once");
        while (!wait.checkDue())
        {
            wait.idle();
        }
        final long due = System.nanoTime();
        assertTrue(due - before >= everyNs, "due early");
        assertFalse(wait.checkDue(), "not twice for one interval");
        assertFalse(new WaitLoop(WaitLoop.Pace.LOCK).begin(WaitLoop.FOREVER, 0).checkDue(), "0: never");
    }

    @Test
    void anUninterruptibleWaitKeepsTheInterruptForItsEnd()
    {
        final WaitLoop wait = WaitLoop.ofThisThread().begin(WaitLoop.FOREVER, 0, shared, 16);
        try
        {
            Thread.currentThread().interrupt();
            wait.idleUninterruptibly();
            assertFalse(Thread.currentThread().isInterrupted(), "cleared while waiting, so that parks still park");
        }
        finally
        {
            wait.end();
        }
        assertTrue(Thread.interrupted(), "given back by end()");
    }

    @Test
    void anInterruptibleWaitLeavesTheInterruptToItsCaller()
    {
        final WaitLoop wait = new WaitLoop(WaitLoop.Pace.MESSAGE).begin(WaitLoop.FOREVER, 0);
        Thread.currentThread().interrupt();
        wait.idle();
        wait.end();
        assertTrue(Thread.interrupted(), "still set: the caller throws InterruptedException");
    }

    @Test
    void aWaitInsideAWaitGetsALoopOfItsOwn()
    {
        final WaitLoop outer = WaitLoop.ofThisThread().begin(WaitLoop.FOREVER, 0, shared, 24);
        try
        {
            final WaitLoop inner = WaitLoop.ofThisThread();
            assertNotSame(outer, inner);
            inner.begin(WaitLoop.FOREVER, 0, shared, 24);
            assertEquals(2, shared.getIntVolatile(24));
            inner.end();
        }
        finally
        {
            outer.end();
        }
        assertEquals(0, shared.getIntVolatile(24));
        assertSame(outer, WaitLoop.ofThisThread(), "free again: no allocation for the next wait");
        assertThrows(IllegalStateException.class, () ->
        {
            final WaitLoop counted = new WaitLoop(WaitLoop.Pace.LOCK).begin(WaitLoop.FOREVER, 0, shared, 32);
            counted.begin(WaitLoop.FOREVER, 0, shared, 32);
        }, "a counted wait begun again before its end would count its waiter twice");
        shared.putInt(32, 0);
    }
}
