package mp4j.pool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static mp4j.pool.Awaiting.await;
import static org.junit.jupiter.api.Assertions.*;

/** What Python's Pool gets wrong: killed workers, exiting tasks, endless tasks, failing initializers. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolFaultTest
{
    private final List<Pool> pools = new ArrayList<>();

    private Pool pool(final PoolConfig config)
    {
        final Pool pool = new Pool(config);
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void terminatePools()
    {
        pools.forEach(Pool::terminate);
        for (final Pool pool : pools)
        {
            for (final WorkerRecord worker : pool.workers())
            {
                assertFalse(worker.alive(), "worker " + worker.pid() + " outlived terminate()");
            }
        }
    }

    private static List<Integer> range(final int n)
    {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static void kill(final long pid)
    {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void mapSurvivesAWorkerKilledMidway() throws Exception
    {
        final Pool pool = pool(new PoolConfig().processes(2));
        final AsyncResult<List<Integer>> result = pool.mapAsync((Integer x) ->
        {
            Thread.sleep(10);
            return x * x;
        }, range(200), 1, null, null);
        await("both workers have returned results",
            () -> pool.workers().stream().allMatch(w -> w.tasks() > 0));
        final long victim = pool.workers().get(0).pid();
        kill(victim);
        assertEquals(range(200).stream().map(x -> x * x).collect(Collectors.toList()), result.get());
        final List<WorkerRecord> workers = pool.workers();
        assertEquals(3, workers.size(), "a replacement was started: " + workers);
        assertEquals(-9, workers.get(0).exitCode());
        assertEquals(200, workers.stream().mapToLong(WorkerRecord::items).sum(),
            "every item counted once: " + workers);
    }

    @Test
    void applyAsyncRerunsTheTaskOfAKilledWorker() throws Exception
    {
        final Pool pool = pool(new PoolConfig().processes(1));
        final long first = pool.<Long>apply(a -> ProcessHandle.current().pid());
        final AsyncResult<Long> slow = pool.applyAsync(a ->
        {
            Thread.sleep(1_000);
            return ProcessHandle.current().pid();
        });
        kill(first);
        final long second = slow.get();
        assertNotEquals(first, second, "it ran again, on the replacement");
    }

    @Test
    void imapSurvivesAKilledWorker() throws Exception
    {
        final Pool pool = pool(new PoolConfig().processes(2));
        final IMapIterator<Integer> it = pool.imap((Integer x) ->
        {
            Thread.sleep(20);
            return x + 1;
        }, range(60));
        final List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            seen.add(it.next());
        }
        kill(pool.workers().get(1).pid());
        it.forEachRemaining(seen::add);
        assertEquals(range(60).stream().map(x -> x + 1).collect(Collectors.toList()), seen);
    }

    @Test
    void aTaskThatAlwaysKillsItsWorkerFailsAfterTheRetriesAndThePoolGoesOn()
    {
        final Pool pool = pool(new PoolConfig().processes(1).maxRetries(1));
        final WorkerDiedException error = assertThrows(WorkerDiedException.class, () -> pool.apply(a ->
        {
            System.exit(3);
            return null;
        }));
        assertTrue(error.getMessage().contains("exited with code 3"), error.getMessage());
        assertTrue(error.getMessage().contains("had run 2 times"), error.getMessage());
        assertEquals(4, (int)pool.<Integer>apply(a -> 4));
    }

    @Test
    void terminateEndsATaskThatNeverReturnsAndFailsWhatWasWaiting()
    {
        final Pool pool = pool(new PoolConfig().processes(1));
        final AsyncResult<Object> endless = pool.applyAsync(a ->
        {
            while (true)
            {
                Thread.sleep(1_000);
            }
        });
        final AsyncResult<Object> queued = pool.applyAsync(a -> "never runs");
        pool.terminate();
        assertThrows(PoolClosedException.class, endless::join);
        assertThrows(PoolClosedException.class, queued::join);
        assertThrows(PoolClosedException.class, () -> pool.apply(a -> 1));
        assertTrue(pool.workers().stream().noneMatch(WorkerRecord::alive));
    }

    @Test
    void maxTasksPerChildReplacesWorkers()
    {
        final Pool pool = pool(new PoolConfig().processes(2).maxTasksPerChild(2));
        final Set<Long> pids = new HashSet<>(pool.map((Integer x) -> ProcessHandle.current().pid(), range(10), 1));
        assertTrue(pids.size() >= 5, "10 tasks, 2 per worker: at least 5 workers, got " + pids.size());
        pool.shutdown();
        pool.join();
        for (final WorkerRecord worker : pool.workers())
        {
            assertEquals(0, worker.exitCode(), "workers retire cleanly: " + worker);
            assertTrue(worker.tasks() <= 2, worker.toString());
        }
    }

    @Test
    void initializerRunsInEachWorker()
    {
        final Pool pool = pool(new PoolConfig().processes(2)
            .initializer(a -> System.setProperty("mp4j.test.greeting", (String)a[0]), "hello"));
        assertEquals(List.of("hello", "hello", "hello"),
            pool.map((Integer x) -> System.getProperty("mp4j.test.greeting"), range(3)));
    }

    @Test
    void aFailingInitializerFailsFastInsteadOfRespawningForever()
    {
        final Pool pool = pool(new PoolConfig().processes(2).initializer(a ->
        {
            throw new IllegalStateException("no database");
        }));
        final WorkerDiedException error = assertThrows(WorkerDiedException.class,
            () -> pool.map((Integer x) -> x, range(4)));
        assertTrue(error.getMessage().contains("initializer"), error.getMessage());
        assertThrows(PoolClosedException.class, () -> pool.apply(a -> 1));
    }

    @Test
    void shutdownFinishesQueuedWorkThenJoinWaitsForTheWorkers()
    {
        final Pool pool = pool(new PoolConfig().processes(2));
        assertThrows(IllegalStateException.class, pool::join, "join before shutdown is an error, as Python");
        final AsyncResult<List<Integer>> result = pool.mapAsync((Integer x) ->
        {
            Thread.sleep(20);
            return -x;
        }, range(20), 1, null, null);
        pool.shutdown();
        assertThrows(PoolClosedException.class, () -> pool.apply(a -> 1));
        pool.join();
        assertEquals(range(20).stream().map(x -> -x).collect(Collectors.toList()), result.join());
        for (final WorkerRecord worker : pool.workers())
        {
            assertFalse(worker.alive());
            assertEquals(0, worker.exitCode(), worker.toString());
        }
    }

    @Test
    void aNewPoolReusesTheBytesOfAStoppedOneOfTheSameSize()
    {
        final Pool first = pool(new PoolConfig().processes(1).name("first"));
        assertEquals(1, (int)first.<Integer>apply(a -> 1));
        final long offset = first.entry().offset();
        first.terminate();
        final Pool second = pool(new PoolConfig().processes(1).name("second"));
        assertEquals(offset, second.entry().offset(), "the stopped pool's rings were reused");
        assertEquals("second", second.entry().name());
        assertEquals(List.of(4, 9), second.map((Integer x) -> x * x, List.of(2, 3)));
        assertThrows(PoolClosedException.class, () -> first.apply(a -> 1), "the old pool stays closed");
    }
}
