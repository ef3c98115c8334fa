package mp4j.synchronize;

import mp4j.session.TempSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Semaphore, BoundedSemaphore, Event, Condition and Barrier between threads; across processes: worker tests. */
class PrimitivesTest
{
    @RegisterExtension
    final TempSession temp = new TempSession();

    @Test
    void semaphoreCountsPermits() throws Exception
    {
        final Semaphore semaphore = Semaphore.create(temp.session(), "s", 2, true);
        assertTrue(semaphore.tryAcquire());
        try (var held = semaphore.acquired())
        {
            assertEquals(0, semaphore.getValue());
            assertEquals(2, semaphore.heldBy(0));
            assertFalse(semaphore.acquire(50, TimeUnit.MILLISECONDS));
        }
        assertEquals(1, semaphore.getValue());
        semaphore.release();
        semaphore.release(); // a plain Semaphore may go above its initial value, as Python's
        assertEquals(3, semaphore.getValue());
        assertThrows(IllegalArgumentException.class, () -> Semaphore.create(temp.session(), null, -1, true));
    }

    @Test
    void boundedSemaphoreRefusesOneReleaseTooMany()
    {
        final BoundedSemaphore semaphore = BoundedSemaphore.create(temp.session(), "b", 1, true);
        semaphore.acquire();
        semaphore.release();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, semaphore::release);
        assertTrue(ex.getMessage().contains("released too many times"), ex.getMessage());
        assertEquals(1, semaphore.getValue());
        assertEquals(0, semaphore.heldBy(0));
    }

    @Test
    void semaphoreGivesBackPermitsOfADeadSlot()
    {
        final Semaphore semaphore = Semaphore.create(temp.session(), "s", 1, true);
        // slot 3 (never claimed: dead) holds the only permit, as a process killed inside its critical section
        semaphore.acquire();
        temp.session().buffer().putLong((int)semaphore.entry().offset() + Semaphore.HELD_OFFSET, 0);
        temp.session().buffer().putLong((int)semaphore.entry().offset() + Semaphore.HELD_OFFSET + 8 * 3, (7L << 32) | 1);
        final long start = System.nanoTime();
        assertTrue(semaphore.acquire(1, TimeUnit.SECONDS));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 100);
        assertEquals(1, semaphore.recovered());
        final Map<String, Object> out = new HashMap<>();
        Describe.describe(temp.session(), semaphore.entry(), out);
        assertEquals(0L, out.get("value"));
        assertEquals(1, out.get("recovered"));
    }

    @Test
    void eventWakesWaiters() throws Exception
    {
        final Event event = Event.create(temp.session(), "e");
        assertFalse(event.isSet());
        assertFalse(event.await(30, TimeUnit.MILLISECONDS));
        final CountDownLatch waiting = new CountDownLatch(1);
        final AtomicReference<Boolean> result = new AtomicReference<>();
        final Thread waiter = new Thread(() ->
        {
            waiting.countDown();
            result.set(event.await(10, TimeUnit.SECONDS));
        });
        waiter.start();
        waiting.await();
        event.set();
        waiter.join();
        assertTrue(result.get());
        assertTrue(event.await());
        event.clear();
        assertFalse(event.isSet());
    }

    @Test
    void conditionHandsOffUnderItsLock() throws Exception
    {
        final Condition condition = Condition.create(temp.session(), "c", null);
        final long[] items = {0};
        final AtomicInteger consumed = new AtomicInteger();
        final List<Thread> consumers = new ArrayList<>();
        for (int t = 0; t < 3; t++)
        {
            final Thread consumer = new Thread(() ->
            {
                for (int i = 0; i < 100; i++)
                {
                    try (var held = condition.acquired())
                    {
                        assertTrue(condition.waitFor(() -> items[0] > 0, 10, TimeUnit.SECONDS));
                        items[0]--;
                        consumed.incrementAndGet();
                    }
                }
            });
            consumers.add(consumer);
            consumer.start();
        }
        for (int i = 0; i < 300; i++)
        {
            try (var held = condition.acquired())
            {
                items[0]++;
                condition.signal();
            }
        }
        for (final Thread consumer : consumers)
        {
            consumer.join(20_000);
        }
        assertEquals(300, consumed.get());
        assertEquals(0, items[0]);
        assertThrows(IllegalStateException.class, condition::await, "waiting without the lock");
        assertThrows(IllegalStateException.class, condition::signal, "notifying without the lock");
    }

    @Test
    void conditionWaitTimesOutAndReleasesEveryLevelOfItsRLock() throws Exception
    {
        final Condition condition = Condition.create(temp.session(), "c", null);
        condition.acquire();
        condition.acquire();
        final AtomicReference<Boolean> otherGotIt = new AtomicReference<>();
        final Thread other = new Thread(() ->
        {
            otherGotIt.set(condition.acquire(5, TimeUnit.SECONDS));
            condition.release();
        });
        other.start();
        assertFalse(condition.await(300, TimeUnit.MILLISECONDS));
        other.join();
        assertTrue(otherGotIt.get(), "the lock was free while waiting");
        assertEquals(2, ((RLock)condition.getLock()).count(), "both levels back after waiting");
        condition.release();
        condition.release();
    }

    @Test
    void barrierReleasesAllPartiesWithDistinctIndexes() throws Exception
    {
        final Barrier barrier = Barrier.create(temp.session(), "b", 3);
        final Set<Integer> indexes = ConcurrentHashMap.newKeySet();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++)
        {
            final Thread thread = new Thread(() ->
            {
                for (int round = 0; round < 50; round++)
                {
                    indexes.add(round * 10 + barrier.await(10, TimeUnit.SECONDS));
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(150, indexes.size());
        assertFalse(barrier.isBroken());
    }

    @Test
    void barrierTimeoutBreaksItForEveryoneUntilReset() throws Exception
    {
        final Barrier barrier = Barrier.create(temp.session(), "b", 3);
        final AtomicReference<Throwable> other = new AtomicReference<>();
        final Thread waiter = new Thread(() ->
        {
            try
            {
                barrier.await();
            }
            catch (final Throwable ex)
            {
                other.set(ex);
            }
        });
        waiter.start();
        while (barrier.nWaiting() < 1)
        {
            Thread.onSpinWait();
        }
        assertThrows(BrokenBarrierError.class, () -> barrier.await(100, TimeUnit.MILLISECONDS));
        waiter.join(10_000);
        assertInstanceOf(BrokenBarrierError.class, other.get());
        assertTrue(barrier.isBroken());
        assertThrows(BrokenBarrierError.class, barrier::await);
        barrier.reset();
        assertFalse(barrier.isBroken());
        assertThrows(IllegalArgumentException.class, () -> Barrier.create(temp.session(), null, 0));
    }
}
