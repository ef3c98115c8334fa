package mp4j.pool;

import mp4j.session.Session;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static mp4j.pool.Awaiting.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Idle pool workers block at their doorbell (mp4j.process.Doorbell: a read of their stdin) instead of parking; the
 * pool's owner rings it after writing a task or a probe. A lost wake-up would leave a task unrun forever, so every
 * call here has a deadline.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolDoorbellTest
{
    private final List<Pool> pools = new ArrayList<>();

    private Pool pool(final int processes)
    {
        final Pool pool = new Pool(new PoolConfig().processes(processes));
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void terminatePools()
    {
        pools.forEach(Pool::terminate);
    }

    private static boolean asleep(final Pool pool, final int position)
    {
        final AtomicBuffer buffer = Session.current().buffer();
        final int base = (int)pool.entry().offset();
        final int ringCapacity = buffer.getInt(base + PoolLayout.RING_CAPACITY_OFFSET);
        return buffer.getIntVolatile(PoolLayout.position(base, ringCapacity, position) + PoolLayout.ASLEEP_OFFSET) == 1;
    }

    @Test
    void idleWorkersSleepAtTheirDoorbellAndATaskWakesThem() throws Exception
    {
        final Pool pool = pool(2);
        assertTrue(pool.awaitWorkers(60, TimeUnit.SECONDS));
        final StarFunction<Integer> twice = a -> 2 * (Integer)a[0];
        assertEquals(2, pool.applyAsync(twice, 1).get(10, TimeUnit.SECONDS));
        await("both idle workers say they sleep at their doorbell", () -> asleep(pool, 0) && asleep(pool, 1));
        final AsyncResult<Integer> first = pool.applyAsync(twice, 21);
        final AsyncResult<Integer> second = pool.applyAsync(twice, 22);
        assertEquals(42, first.get(10, TimeUnit.SECONDS), "a task for a sleeping worker woke it");
        assertEquals(44, second.get(10, TimeUnit.SECONDS));
        await("the workers sleep again", () -> asleep(pool, 0) && asleep(pool, 1));
        assertEquals(List.of(0, 2, 4, 6), pool.map((Integer x) -> 2 * x, List.of(0, 1, 2, 3)));
    }

    @Test
    void noWakeUpIsLostWhateverTheMomentATaskComes() throws Exception
    {
        final Pool pool = pool(2);
        assertTrue(pool.awaitWorkers(60, TimeUnit.SECONDS));
        final StarFunction<Integer> next = a -> (Integer)a[0] + 1;
        final Random random = new Random(16);
        for (int i = 0; i < 400; i++)
        {
            // pauses of 0 to 4 ms: a task comes while the worker spins, yields, says it sleeps, or sleeps
            final long pauseNanos = random.nextInt(4_000_000);
            final long until = System.nanoTime() + pauseNanos;
            while (System.nanoTime() < until)
            {
                Thread.onSpinWait();
            }
            assertEquals(i + 1, pool.applyAsync(next, i).get(10, TimeUnit.SECONDS), "call " + i);
        }
    }

    @Test
    void aTaskThatReadsStdinGetsNothingAndTheDoorbellStillRings() throws Exception
    {
        final Pool pool = pool(1);
        final StarFunction<Integer> readStdin = a -> System.in.read();
        assertEquals(-1, pool.applyAsync(readStdin).get(10, TimeUnit.SECONDS),
            "a worker's stdin is its doorbell, not the task's");
        await("the worker sleeps at its doorbell", () -> asleep(pool, 0));
        final StarFunction<String> hello = a -> "hello";
        assertEquals("hello", pool.applyAsync(hello).get(10, TimeUnit.SECONDS));
    }

    @Test
    void workersSleepingAtTheirDoorbellAreTerminated() throws Exception
    {
        final Pool pool = pool(2);
        assertTrue(pool.awaitWorkers(60, TimeUnit.SECONDS));
        await("both workers sleep at their doorbell", () -> asleep(pool, 0) && asleep(pool, 1));
        pool.terminate();
        for (final WorkerRecord worker : pool.workers())
        {
            assertFalse(worker.alive(), "worker " + worker.pid() + " outlived terminate()");
        }
    }
}
