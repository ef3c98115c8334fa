package mp4j.synchronize;

import mp4j.session.TempSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Lock and RLock semantics between threads of one process; across processes: worker's SynchronizeProcessTest. */
class LockTest
{
    @RegisterExtension
    final TempSession temp = new TempSession();

    @Test
    void lockExcludesAndCountsExactlyAcrossThreads() throws Exception
    {
        final Lock lock = Lock.create(temp.session(), "counter-lock");
        final long[] counter = {0};
        final int threads = 4;
        final int increments = 100_000;
        final Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() ->
            {
                for (int i = 0; i < increments; i++)
                {
                    try (var held = lock.acquired())
                    {
                        counter[0]++;
                    }
                }
            });
            workers[t].start();
        }
        for (final Thread worker : workers)
        {
            worker.join();
        }
        assertEquals((long)threads * increments, counter[0]);
        assertFalse(lock.isLocked());
        assertEquals(0, lock.waiters());
    }

    @Test
    void lockMayBeReleasedByAnotherThreadButNotTwice() throws Exception
    {
        final Lock lock = Lock.create(temp.session(), null);
        lock.acquire();
        assertFalse(lock.tryAcquire(), "not recursive");
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread other = new Thread(() ->
        {
            try
            {
                lock.release();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        other.start();
        other.join();
        assertNull(failure.get());
        assertFalse(lock.isLocked());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, lock::release);
        assertTrue(ex.getMessage().contains("released too many times"), ex.getMessage());
    }

    @Test
    void rlockReentersAndOnlyTheOwnerReleases() throws Exception
    {
        final RLock lock = RLock.create(temp.session(), "r");
        lock.acquire();
        assertTrue(lock.tryAcquire());
        try (var held = lock.acquired())
        {
            assertEquals(3, lock.count());
        }
        assertEquals(2, lock.count());
        assertTrue(lock.isOwned());
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean acquiredElsewhere = new AtomicBoolean(true);
        final Thread other = new Thread(() ->
        {
            acquiredElsewhere.set(lock.tryAcquire());
            try
            {
                lock.release();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        other.start();
        other.join();
        assertFalse(acquiredElsewhere.get());
        assertInstanceOf(IllegalStateException.class, failure.get());
        assertTrue(failure.get().getMessage().contains("only the owner releases"), failure.get().getMessage());
        lock.release();
        lock.release();
        assertFalse(lock.isLocked());
        assertThrows(IllegalStateException.class, lock::release);
    }

    @Test
    void timeoutIsHonoured() throws Exception
    {
        final Lock lock = Lock.create(temp.session(), null);
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread holder = new Thread(() ->
        {
            lock.acquire();
            held.countDown();
            try
            {
                done.await();
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
            lock.release();
        });
        holder.start();
        held.await();
        final long start = System.nanoTime();
        assertFalse(lock.acquire(150, TimeUnit.MILLISECONDS));
        final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // Never before its timeout; after it, only a hang is an error (a busy machine delays the waiter's wake-up).
        assertTrue(waitedMs >= 150 && waitedMs < 10_000, "waited " + waitedMs + " ms");
        assertFalse(lock.acquire(Duration.ZERO));
        done.countDown();
        assertTrue(lock.acquire(Duration.ofSeconds(10)));
        holder.join();
        lock.release();
    }

    @Test
    void generatedNamesAreWhatPythonCallsTheClass()
    {
        assertTrue(RLock.create(temp.session(), null).name().matches("RLock-\\d+"));
        assertTrue(Lock.create(temp.session(), null).name().matches("Lock-\\d+"));
        assertTrue(BoundedSemaphore.create(temp.session(), null, 1, true).name().matches("BoundedSemaphore-\\d+"));
    }

    @Test
    void invalidTimeoutsAreRefused()
    {
        final RLock lock = RLock.create(temp.session(), null);
        assertThrows(IllegalArgumentException.class, () -> lock.acquire(-1, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> lock.acquire(Duration.ofMillis(-5)));
    }

    @Test
    void deadOwnerIsRecoveredWithOwnerDiedSet()
    {
        final Lock lock = Lock.create(temp.session(), "orphaned");
        // an owner in slot 3 (never claimed, so not alive) with generation 0: a process that died holding it
        temp.session().buffer().putLongVolatile(lock.word().offset(), LockWord.processBits(3, 0) | 42);
        final Map<String, Object> out = SynchronizeDescriber.lock(temp.session(), lock.entry().lockOffset());
        assertEquals(false, out.get("ownerAlive"));
        assertEquals(3, out.get("ownerSlot"));
        final long start = System.nanoTime();
        // Recovery must happen, flagged; how fast is a benchmark's figure (the first liveness check is due after
        // 10 ms, which a busy machine stretches), so the bound here only rules out a hang.
        assertTrue(lock.acquire(10, TimeUnit.SECONDS), "a dead owner's lock not recovered within 10 s");
        System.out.println("dead owner's lock recovered after " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        assertTrue(lock.ownerDied());
        assertEquals(1, lock.word().recoveries());
        lock.release();
        lock.acquire();
        assertFalse(lock.ownerDied(), "a normal acquire clears the flag");
        lock.release();
    }

    @Test
    void tryAcquireAlsoRecoversFromADeadOwner() throws Exception
    {
        final RLock lock = RLock.create(temp.session(), null);
        temp.session().buffer().putLongVolatile(lock.word().offset(), LockWord.processBits(5, 7) | 1);
        boolean acquired = lock.tryAcquire();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!acquired && System.nanoTime() < deadline)
        {
            Thread.sleep(1); // a try checks the owner at most every 10 ms: no event to wait on
            acquired = lock.tryAcquire();
        }
        assertTrue(acquired, "a dead owner's lock not taken by tryAcquire within 10 s");
        assertTrue(lock.ownerDied());
        assertEquals(1, lock.count());
        lock.release();
    }
}
