package mp4j.synchronize;

import mp4j.codec.SerialFilter;
import mp4j.session.TempSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
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
    private static final AtomicInteger ACTIONS_RUN = new AtomicInteger();

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
        temp.session().buffer().putLong((int)semaphore.entry().offset() + SemaphoreLayout.HELD_OFFSET, 0);
        temp.session().buffer().putLong((int)semaphore.entry().offset() + SemaphoreLayout.HELD_OFFSET + 8 * 3, (7L << 32) | 1);
        final long start = System.nanoTime();
        // Given back it must be; how fast is a benchmark's figure: the bound only rules out a hang.
        assertTrue(semaphore.acquire(10, TimeUnit.SECONDS), "a dead slot's permit not given back within 10 s");
        System.out.println("dead slot's permit given back after " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        assertEquals(1, semaphore.recovered());
        final Map<String, Object> out = new HashMap<>();
        SynchronizeDescriber.describe(temp.session(), semaphore.entry(), out);
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

    private static final AtomicInteger ACTIONS = new AtomicInteger();
    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final AtomicInteger PASSED_WHEN_ACTION_RAN = new AtomicInteger(-1);
    private static final AtomicReference<String> ACTION_THREAD = new AtomicReference<>();

    @Test
    void barrierActionRunsOncePerRoundInTheLastPartyBeforeAnyGoesOn() throws Exception
    {
        ACTIONS.set(0);
        PASSED.set(0);
        final Barrier barrier = Barrier.create(temp.session(), "b", 3, () ->
        {
            PASSED_WHEN_ACTION_RAN.set(PASSED.get());
            ACTION_THREAD.set(Thread.currentThread().getName());
            ACTIONS.incrementAndGet();
        }, null);
        final Map<String, Integer> indexByThread = new ConcurrentHashMap<>();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++)
        {
            final Thread thread = new Thread(() ->
            {
                indexByThread.put(Thread.currentThread().getName(), barrier.await(10, TimeUnit.SECONDS));
                PASSED.incrementAndGet();
            }, "party-" + t);
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join(20_000);
        }
        assertEquals(1, ACTIONS.get(), "the action ran once");
        assertEquals(0, PASSED_WHEN_ACTION_RAN.get(), "no party had gone on while the action ran");
        assertEquals(2, indexByThread.get(ACTION_THREAD.get()), "the last party to arrive ran it, as Python's");
        assertFalse(barrier.isBroken());
    }

    @Test
    void aBarrierActionThatRaisesBreaksItAndRaisesInTheLastParty() throws Exception
    {
        final Barrier barrier = Barrier.create(temp.session(), "b", 2, () ->
        {
            throw new IllegalStateException("action failed");
        }, null);
        final AtomicReference<Throwable> first = new AtomicReference<>();
        final Thread waiter = new Thread(() ->
        {
            try
            {
                barrier.await(10, TimeUnit.SECONDS);
            }
            catch (final Throwable ex)
            {
                first.set(ex);
            }
        });
        waiter.start();
        while (barrier.nWaiting() < 1)
        {
            Thread.onSpinWait();
        }
        final IllegalStateException error = assertThrows(IllegalStateException.class, barrier::await);
        assertEquals("action failed", error.getMessage());
        waiter.join(10_000);
        assertInstanceOf(BrokenBarrierError.class, first.get());
        assertTrue(barrier.isBroken());
    }

    @Test
    void aBarrierActionIsReadUnderTheOneSerialRule()
    {
        final java.io.File captured = new java.io.File("/tmp"); // a JDK class outside the rule's safe set
        final Barrier refused = Barrier.create(temp.session(), null, 1, () -> captured.getName(), null);
        final IllegalStateException error = assertThrows(IllegalStateException.class, refused::await);
        assertTrue(error.getMessage().contains("java.io.File") &&
            error.getMessage().contains(SerialFilter.PROPERTY + "=java.io.File"), error.getMessage());
        assertTrue(refused.isBroken(), "an action that cannot be read breaks the barrier, as one that raises");

        final String property = System.getProperty(SerialFilter.PROPERTY);
        SerialFilter.allow("java.io.File");
        try
        {
            final Barrier allowed = Barrier.create(temp.session(), null, 1, () ->
            {
                if (!captured.getName().isEmpty())
                {
                    ACTIONS_RUN.incrementAndGet(); // a static: the action, decoded from the barrier, captures File only
                }
            }, null);
            final int before = ACTIONS_RUN.get();
            assertEquals(0, allowed.await());
            assertEquals(before + 1, ACTIONS_RUN.get(), "the action ran");
            assertFalse(allowed.isBroken());
        }
        finally
        {
            if (property == null)
            {
                System.clearProperty(SerialFilter.PROPERTY);
            }
            else
            {
                System.setProperty(SerialFilter.PROPERTY, property);
            }
        }
    }

    @Test
    void aBarriersDefaultTimeoutBoundsAwait()
    {
        final Barrier barrier = Barrier.create(temp.session(), "b", 2, null, Duration.ofMillis(50));
        assertEquals(Duration.ofMillis(50), barrier.timeout());
        assertThrows(BrokenBarrierError.class, barrier::await, "await() without a timeout waits the barrier's");
        assertTrue(barrier.isBroken());
        assertNull(Barrier.create(temp.session(), null, 2).timeout());
        assertThrows(IllegalArgumentException.class,
            () -> Barrier.create(temp.session(), null, 2, null, Duration.ofMillis(-1)));
        final Object notSerializable = new Object();
        assertThrows(IllegalArgumentException.class,
            () -> Barrier.create(temp.session(), null, 2, () -> notSerializable.hashCode(), null));
    }

    @Test
    void conditionWaitForWithoutATimeoutWaitsUntilThePredicateHolds() throws Exception
    {
        final Condition condition = Condition.create(temp.session(), "c", null);
        final long[] items = {0};
        final Thread producer = new Thread(() ->
        {
            for (int i = 0; i < 3; i++)
            {
                condition.acquire();
                items[0]++;
                condition.signalAll();
                condition.release();
            }
        });
        condition.acquire();
        try
        {
            producer.start();
            condition.waitFor(() -> items[0] == 3); // Python: cond.wait_for(predicate)
            assertEquals(3, items[0]);
        }
        finally
        {
            condition.release();
        }
        producer.join(10_000);
    }
}
