package mp4j.context;

import mp4j.queues.Empty;
import mp4j.queues.JoinableQueue;
import mp4j.queues.Queue;
import mp4j.queues.SharedJoinableQueue;
import mp4j.session.Session;
import mp4j.sharedctypes.SharedValue;
import mp4j.sharedctypes.Value;
import mp4j.synchronize.Acquired;
import mp4j.synchronize.Barrier;
import mp4j.synchronize.BoundedSemaphore;
import mp4j.synchronize.Condition;
import mp4j.synchronize.Event;
import mp4j.synchronize.Lock;
import mp4j.synchronize.RLock;
import mp4j.synchronize.Semaphore;
import mp4j.synchronize.SharedBarrier;
import mp4j.synchronize.SharedCondition;
import mp4j.synchronize.SharedEvent;
import mp4j.synchronize.SharedLock;
import mp4j.synchronize.SharedRLock;
import mp4j.synchronize.SharedSemaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The local context makes today's classes, which behave through the context interfaces as they do directly. */
@SuppressWarnings("try") // acquired() in try-with-resources, as users write it: the held handle goes unused
class LocalContextTest
{
    private final Context ctx = Context.local();
    private Session session;

    /** A session of its own, big enough for two queue rings, as the current one; closed after each test. */
    @BeforeEach
    void useOwnSession(@TempDir final Path dir)
    {
        session = Session.create(dir, 8, 64, 8 << 20);
        Session.setCurrent(session);
    }

    @AfterEach
    void closeSession()
    {
        Session.clearCurrent(session);
        session.close();
    }

    @Test
    void makesTodaysClasses()
    {
        assertEquals("local", ctx.name());
        assertInstanceOf(Value.class, ctx.value('i', 1));
        assertInstanceOf(Lock.class, ctx.lock());
        assertInstanceOf(RLock.class, ctx.rlock());
        assertInstanceOf(Semaphore.class, ctx.semaphore(2));
        assertInstanceOf(BoundedSemaphore.class, ctx.boundedSemaphore(2));
        assertInstanceOf(Event.class, ctx.event());
        assertInstanceOf(Condition.class, ctx.condition());
        assertInstanceOf(Barrier.class, ctx.barrier(1));
        assertInstanceOf(Queue.class, ctx.queue());
        assertInstanceOf(JoinableQueue.class, ctx.joinableQueue());
    }

    @Test
    void valueAndLocksThroughTheInterfaces()
    {
        final SharedValue value = ctx.value('i', Integer.MAX_VALUE);
        assertEquals(Integer.MIN_VALUE, value.incrementAndGet(), "an 'i' wraps as C's int does");
        assertTrue(value.compareAndSet(Integer.MIN_VALUE, 7));
        try (var held = value.getLock().acquired())
        {
            value.set(value.get() + 1);
        }
        assertEquals(8, value.get());
        final SharedValue real = ctx.value('d', 0.5);
        real.setDouble(real.getDouble() * 3);
        assertEquals(1.5, real.getDouble());

        final SharedLock lock = ctx.lock();
        assertTrue(lock.tryAcquire());
        assertFalse(lock.acquire(10, TimeUnit.MILLISECONDS));
        lock.release();
        assertThrows(IllegalStateException.class, lock::release);

        final SharedRLock rlock = ctx.rlock();
        rlock.acquire();
        rlock.acquire();
        assertTrue(rlock.isOwned());
        rlock.release();
        rlock.release();
        assertFalse(rlock.isOwned());

        final SharedSemaphore bounded = ctx.boundedSemaphore(1);
        bounded.acquire();
        bounded.release();
        assertThrows(IllegalStateException.class, bounded::release);
    }

    @Test
    void eventConditionBarrierQueue() throws Exception
    {
        final SharedEvent event = ctx.event();
        assertFalse(event.await(1, TimeUnit.MILLISECONDS));
        event.set();
        assertTrue(event.await());

        final SharedCondition condition = ctx.condition(ctx.rlock());
        try (var held = condition.acquired())
        {
            assertFalse(condition.await(1, TimeUnit.MILLISECONDS));
            condition.signalAll();
        }
        assertThrows(IllegalArgumentException.class, () -> ctx.condition(new SharedLockStub()));

        final SharedBarrier barrier = ctx.barrier(1);
        assertEquals(0, barrier.await());

        final SharedJoinableQueue queue = ctx.joinableQueue();
        queue.put("a");
        queue.put(null);
        assertEquals(2, queue.qsize());
        assertEquals("a", queue.get());
        assertNull(queue.get(true, 100));
        assertThrows(Empty.class, queue::getNowait);
        queue.taskDone();
        queue.taskDone();
        assertTrue(queue.join(1000));
        queue.close();
    }

    /** A lock of no context. */
    private static final class SharedLockStub implements SharedLock
    {
        @Override
        public void acquire()
        {
        }

        @Override
        public boolean acquire(final long timeout, final TimeUnit unit)
        {
            return true;
        }

        @Override
        public boolean tryAcquire()
        {
            return true;
        }

        @Override
        public void release()
        {
        }

        @Override
        public Acquired acquired()
        {
            return () -> { };
        }
    }
}
