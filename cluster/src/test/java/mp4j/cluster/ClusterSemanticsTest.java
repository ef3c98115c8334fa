package mp4j.cluster;

import mp4j.context.Context;
import mp4j.pool.ProcessPool;
import mp4j.pool.RemoteCallable;
import mp4j.queues.Empty;
import mp4j.queues.Full;
import mp4j.queues.SharedJoinableQueue;
import mp4j.queues.SharedQueue;
import mp4j.sharedctypes.SharedValue;
import mp4j.synchronize.BrokenBarrierError;
import mp4j.synchronize.SharedBarrier;
import mp4j.synchronize.SharedCondition;
import mp4j.synchronize.SharedEvent;
import mp4j.synchronize.SharedLock;
import mp4j.synchronize.SharedRLock;
import mp4j.synchronize.SharedSemaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cluster context keeps the local semantics: map results and exceptions as locally (the exceptions by
 * {@link TaskExceptionContract}, the body {@link LocalTaskExceptionTest} runs on the local context), and every
 * shared object used from tasks on three server nodes as from processes of one machine.
 */
@SuppressWarnings("try") // acquired() in try-with-resources, as users write it: the held handle goes unused
class ClusterSemanticsTest extends TaskExceptionContract
{
    @RegisterExtension
    static final TestCluster cluster = new TestCluster(3);

    @Override
    Context context()
    {
        return cluster.context();
    }

    private static List<Integer> range(final int n)
    {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void mapStarmapApplyReturnWhatTheyReturnLocally()
    {
        final Context ctx = cluster.context();
        try (ClusterPool pool = (ClusterPool)ctx.pool(6))
        {
            final List<Long> squares = pool.map((Integer x) -> (long)x * x, range(300));
            assertEquals(range(300).stream().map(x -> (long)x * x).toList(), squares);
            assertEquals(List.of(3, 7), pool.starmap(a -> (Integer)a[0] + (Integer)a[1],
                List.of(new Object[]{1, 2}, new Object[]{3, 4}), 1));
            assertEquals("ab", pool.apply(a -> (String)a[0] + a[1], "a", "b"));
            assertEquals(List.of(), pool.map((Integer x) -> x, List.of()));
            assertEquals(List.of(2, 4, 6), pool.map((Integer x) -> 2 * x, List.of(1, 2, 3), 2));
            final Set<Long> pids = pool.nodes().stream().map(NodeWork::pid).collect(Collectors.toSet());
            assertTrue(pids.size() >= 2, "the chunks went to several server nodes: " + pool.nodes());
            assertTrue(cluster.alivePids().containsAll(pids), "every task ran on a server node: " + pool.nodes());
            assertEquals(0, pool.reruns());
        }
    }

    @Test
    void aTaskThatCannotBeSentFailsInTheCaller()
    {
        try (ProcessPool pool = cluster.context().pool(3))
        {
            final Thread notSerializable = new Thread();
            final IllegalArgumentException send = assertThrows(IllegalArgumentException.class,
                () -> pool.map((Integer x) -> notSerializable.getName() + x, List.of(1)));
            assertTrue(send.getMessage().contains("serializable"), send.getMessage());
        }
    }

    @Test
    void executorAsLocally() throws Exception
    {
        final ExecutorService executor = cluster.context().executor(2);
        try
        {
            final ClusterExecutor cluster = (ClusterExecutor)executor;
            final Future<Integer> answer = cluster.submit((RemoteCallable<Integer>)() -> 6 * 7);
            assertEquals(42, answer.get(60, TimeUnit.SECONDS));
            final Future<Integer> failing = cluster.submit((RemoteCallable<Integer>)() ->
            {
                throw new IllegalStateException("no");
            });
            final ExecutionException ex = assertThrows(ExecutionException.class, () -> failing.get(60, TimeUnit.SECONDS));
            assertEquals("no", assertInstanceOf(IllegalStateException.class, ex.getCause()).getMessage());
            final List<RemoteCallable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++)
            {
                final int n = i;
                tasks.add(() -> n * n);
            }
            int sum = 0;
            for (final Future<Integer> f : executor.invokeAll(tasks))
            {
                sum += f.get();
            }
            assertEquals(55, sum);
            assertThrows(IllegalArgumentException.class, () -> executor.submit(() -> 1)); // a plain Callable
        }
        finally
        {
            executor.shutdown();
            assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void valueAndLocksFromTasksOnSeveralNodes()
    {
        final ClusterContext ctx = cluster.context();
        final SharedValue total = ctx.value('i', 0);
        final SharedValue plain = ctx.value('q', 0);
        final SharedLock separate = ctx.lock();
        try (ProcessPool pool = ctx.pool(6))
        {
            pool.map((Integer x) ->
            {
                for (int i = 0; i < 5; i++)
                {
                    try (var held = total.getLock().acquired())
                    {
                        total.set(total.get() + 1);
                    }
                    try (var held = separate.acquired())
                    {
                        plain.set(plain.get() + 1);
                    }
                }
                return x;
            }, range(24), 1);
        }
        assertEquals(120, total.get(), "read-modify-write under the Value's RLock is exact");
        assertEquals(120, plain.get(), "and under a separate Lock");
        final SharedValue wraps = ctx.value('b', 127);
        assertEquals(-128, wraps.incrementAndGet(), "an 'b' wraps as C's signed char does");
        assertTrue(wraps.compareAndSet(-128, 5));
        assertEquals(5, wraps.get());
        final SharedValue real = ctx.value('d', 0.25);
        real.setDouble(real.getDouble() * 6);
        assertEquals(1.5, real.getDouble());
        assertThrows(IllegalStateException.class, () -> real.getAndAdd(1));

        final SharedLock lock = ctx.lock();
        assertTrue(lock.tryAcquire());
        assertFalse(lock.acquire(10, TimeUnit.MILLISECONDS), "a Lock is not reentrant");
        try (ProcessPool pool = ctx.pool(1))
        {
            pool.apply(a ->
            {
                lock.release(); // another process may release a Lock, as in Python
                return null;
            });
        }
        assertTrue(lock.tryAcquire(), "released by the task");
        lock.release();
        assertThrows(IllegalStateException.class, lock::release);

        final SharedRLock rlock = ctx.rlock();
        rlock.acquire();
        rlock.acquire();
        assertTrue(rlock.isOwned());
        try (ProcessPool pool = ctx.pool(1))
        {
            assertThrows(IllegalStateException.class, () -> pool.apply(a ->
            {
                rlock.release();
                return null;
            }), "only the owner releases an RLock");
            final Boolean taken = pool.apply(a -> rlock.tryAcquire());
            assertFalse(taken, "held by this thread of the test JVM");
        }
        rlock.release();
        rlock.release();
        assertFalse(rlock.isOwned());

        final SharedSemaphore semaphore = ctx.boundedSemaphore(2);
        assertTrue(semaphore.tryAcquire());
        assertEquals(1, semaphore.getValue());
        semaphore.release();
        assertThrows(IllegalStateException.class, semaphore::release);
    }

    @Test
    void eventConditionBarrierFromTasks() throws Exception
    {
        final ClusterContext ctx = cluster.context();
        final SharedEvent event = ctx.event();
        final SharedQueue log = ctx.queue();
        // as the local Queue and Python's (ValueError): a blocking call's timeout is not negative
        assertThrows(IllegalArgumentException.class, () -> log.get(true, -1));
        assertThrows(IllegalArgumentException.class, () -> log.put("never", true, -5));
        final SharedBarrier barrier = ctx.barrier(3);
        final SharedRLock rlock = ctx.rlock();
        final SharedCondition condition = ctx.condition(rlock);
        try (ClusterPool pool = ctx.pool(3))
        {
            final List<Integer> indexes = pool.map((Integer x) ->
            {
                final int index = barrier.await(120, TimeUnit.SECONDS);
                log.put("passed " + x);
                return index;
            }, range(3), 1);
            assertEquals(Set.of(0, 1, 2), new HashSet<>(indexes), "three parties, three arrival indexes");
            assertEquals(3, log.qsize());

            final ClusterExecutor executor = ctx.executor(2);
            final Future<Boolean> waiter = executor.submit((RemoteCallable<Boolean>)() -> event.await(120, TimeUnit.SECONDS));
            final Future<Boolean> conditionWaiter = executor.submit((RemoteCallable<Boolean>)() ->
            {
                try (var held = condition.acquired())
                {
                    log.put("waiting");
                    return condition.waitFor(() -> event.isSet(), 120, TimeUnit.SECONDS);
                }
            });
            final Set<Object> passed = new HashSet<>();
            for (int i = 0; i < 3; i++)
            {
                passed.add(log.get(true, 60_000));
            }
            assertEquals(Set.of("passed 0", "passed 1", "passed 2"), passed);
            assertEquals("waiting", log.get(true, 120_000));
            assertFalse(waiter.isDone());
            event.set();
            try (var held = condition.acquired())
            {
                condition.signalAll();
            }
            assertTrue(waiter.get(120, TimeUnit.SECONDS));
            assertTrue(conditionWaiter.get(120, TimeUnit.SECONDS));
            executor.shutdown();
        }
        event.clear();
        assertFalse(event.await(10, TimeUnit.MILLISECONDS));
        assertThrows(IllegalStateException.class, condition::signal, "notify needs the lock");
        assertThrows(IllegalArgumentException.class, () -> ctx.condition(ctx.lock()));

        final SharedBarrier lonely = ctx.barrier(2);
        assertThrows(BrokenBarrierError.class, () -> lonely.await(50, TimeUnit.MILLISECONDS));
        assertTrue(lonely.isBroken());
        lonely.reset();
        assertFalse(lonely.isBroken());
    }

    @Test
    void queuesBetweenTasksAndTheCaller() throws Exception
    {
        final ClusterContext ctx = cluster.context();
        final SharedJoinableQueue work = ctx.joinableQueue();
        final SharedQueue results = ctx.queue(0);
        for (int i = 0; i < 10; i++)
        {
            work.put(i);
        }
        work.put(null); // Python's None: a stop marker
        try (ProcessPool pool = ctx.pool(1))
        {
            pool.apply(a ->
            {
                for (Object item = work.get(); item != null; item = work.get())
                {
                    results.put((Integer)item * 10);
                    work.taskDone();
                }
                work.taskDone();
                return null;
            });
        }
        assertTrue(work.join(60_000));
        final List<Object> got = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            got.add(results.getNowait());
        }
        assertEquals(range(10).stream().map(x -> x * 10).toList(), got, "FIFO");
        assertThrows(Empty.class, results::getNowait);
        assertThrows(Empty.class, () -> results.get(true, 20));
        final SharedQueue bounded = ctx.queue(1);
        bounded.put("x");
        assertThrows(Full.class, () -> bounded.putNowait("y"));
        assertThrows(IllegalStateException.class, work::taskDone, "more taskDone than puts");
    }

    @Test
    void whatHasNoClusterMeaningFailsClearly()
    {
        final ClusterContext ctx = cluster.context();
        final UnsupportedOperationException pipe = assertThrows(UnsupportedOperationException.class, () -> ctx.pipe(true));
        assertTrue(pipe.getMessage().contains("Queue"), pipe.getMessage());
        final UnsupportedOperationException shm = assertThrows(UnsupportedOperationException.class,
            () -> ctx.sharedMemory(null, true, 64));
        assertTrue(shm.getMessage().contains("one machine"), shm.getMessage());
    }

    @Test
    void theSnapshotListsNodesAndObjects()
    {
        final ClusterContext ctx = cluster.context();
        final ClusterValue value = ctx.value("snapshot-value", 'q', 41);
        value.incrementAndGet();
        final ClusterLock lock = ctx.lock("snapshot-lock");
        lock.acquire();
        final ClusterSnapshot snapshot = ctx.snapshot();
        assertEquals(3, snapshot.nodes().stream().filter(n -> n.get("role").equals("server")).count());
        assertTrue(snapshot.nodes().stream().anyMatch(n -> n.get("role").equals("client") && (Boolean)n.get("self")));
        assertTrue(snapshot.nodes().stream().filter(n -> n.get("role").equals("server"))
            .allMatch(n -> cluster.alivePids().contains(((Number)n.get("pid")).longValue())));
        final Map<String, Object> v = snapshot.objects().stream().filter(o -> o.get("name").equals("snapshot-value"))
            .findFirst().orElseThrow();
        assertEquals("value 42", v.get("state"));
        final Map<String, Object> l = snapshot.objects().stream().filter(o -> o.get("name").equals("snapshot-lock"))
            .findFirst().orElseThrow();
        assertTrue(((String)l.get("state")).startsWith("held"), String.valueOf(l.get("state")));
        lock.release();
        value.destroy();
        lock.destroy();
        assertTrue(ctx.snapshot().objects().stream().noneMatch(o -> o.get("name").equals("snapshot-value")));
        assertThrows(IllegalStateException.class, value::get, "a destroyed Value is gone");
    }
}
