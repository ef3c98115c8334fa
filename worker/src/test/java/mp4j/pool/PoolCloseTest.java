package mp4j.pool;

import mp4j.synchronize.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** Pool.close() as Java's ExecutorService.close(): Python's close() then join(); terminate() stays immediate. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolCloseTest
{
    private final List<Pool> pools = new ArrayList<>();

    private Pool pool(final int processes)
    {
        final Pool pool = new Pool(new PoolConfig().processes(processes).name("PoolCloseTest"));
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void terminatePools()
    {
        pools.forEach(Pool::terminate);
    }

    /** Sets {@code go} once {@code pool} has stopped taking tasks: the caller is inside close() by then. */
    private static Thread releaseWhenClosing(final Pool pool, final Event go)
    {
        final Thread releaser = new Thread(() ->
        {
            while (pool.isAccepting())
            {
                Thread.onSpinWait();
            }
            go.set();
        }, "release-when-closing");
        releaser.setDaemon(true);
        releaser.start();
        return releaser;
    }

    @Test
    void theLiteralTranslationOfMapAsyncCloseJoinGetsEveryResult() throws Exception
    {
        final Pool pool = pool(2);
        final Event go = new Event();
        // pool.map_async(f, range(8)); pool.close(); pool.join(); result.get()
        final AsyncResult<List<Integer>> result = pool.mapAsync((Integer x) ->
        {
            if (!go.await(60, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("never released");
            }
            return x * x;
        }, List.of(0, 1, 2, 3, 4, 5, 6, 7), 1, null, null);
        releaseWhenClosing(pool, go);
        pool.close();
        assertTrue(result.ready(), "close() returned before the work it had was done");
        pool.join();
        assertEquals(List.of(0, 1, 4, 9, 16, 25, 36, 49), result.get());
        assertTrue(pool.workers().stream().noneMatch(WorkerRecord::alive), "the workers have exited");
        assertThrows(PoolClosedException.class, () -> pool.apply(a -> 1), "no new work after close()");
    }

    @Test
    void tryWithResourcesWaitsForOutstandingAsyncWorkAndItsCallbacks() throws Exception
    {
        final List<Integer> seen = new CopyOnWriteArrayList<>();
        final AsyncResult<Integer> result;
        final Pool pool = pool(1);
        try (pool)
        {
            final Event go = new Event();
            result = pool.applyAsync(a ->
            {
                go.await(60, TimeUnit.SECONDS);
                return 42;
            }, new Object[0], seen::add, null);
            releaseWhenClosing(pool, go);
        }
        assertEquals(List.of(42), seen, "the callback ran before close() returned, as Python's join() waits");
        assertEquals(42, result.get());
    }

    @Test
    void closeInterruptedTerminatesAndKeepsTheInterrupt() throws Exception
    {
        final Pool pool = pool(1);
        final Event never = new Event();
        final Event started = new Event();
        final AsyncResult<Object> stuck = pool.applyAsync(a ->
        {
            started.set();
            return never.await(60, TimeUnit.SECONDS);
        });
        assertTrue(started.await(60, TimeUnit.SECONDS));
        final AtomicBoolean interruptKept = new AtomicBoolean();
        final Thread closer = new Thread(() ->
        {
            pool.close();
            interruptKept.set(Thread.currentThread().isInterrupted());
        }, "closer");
        closer.start();
        while (pool.isAccepting())
        {
            Thread.onSpinWait();
        }
        closer.interrupt();
        closer.join(60_000);
        assertFalse(closer.isAlive(), "close() did not return after the interrupt");
        assertTrue(interruptKept.get(), "close() keeps the interrupt, as ExecutorService.close() does");
        final ExecutionException error = assertThrows(ExecutionException.class, stuck::get);
        assertInstanceOf(PoolClosedException.class, error.getCause(), "interrupted, close() terminated");
    }

    @Test
    void terminateStaysImmediate() throws Exception
    {
        final Pool pool = pool(1);
        final Event started = new Event();
        final Event never = new Event();
        final AsyncResult<Object> stuck = pool.applyAsync(a ->
        {
            started.set();
            return never.await(60, TimeUnit.SECONDS);
        });
        assertTrue(started.await(60, TimeUnit.SECONDS));
        final Thread terminator = new Thread(pool::terminate, "terminator");
        terminator.start();
        terminator.join(30_000);
        assertFalse(terminator.isAlive(), "terminate() took more than 30 s, with a task of a minute running");
        final ExecutionException error = assertThrows(ExecutionException.class, stuck::get);
        assertInstanceOf(PoolClosedException.class, error.getCause());
        pool.close(); // nothing more to do on a stopped pool
    }
}
