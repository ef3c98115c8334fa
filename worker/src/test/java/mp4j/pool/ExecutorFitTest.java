package mp4j.pool;

import mp4j.synchronize.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** PoolExecutor where java.util.concurrent code expects an ExecutorService to fit. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExecutorFitTest
{
    /** A task that says it started, then waits for {@code release} (or a minute), then returns {@code value}. */
    private static RemoteCallable<Integer> blocking(final Event started, final Event release, final int value)
    {
        return () ->
        {
            started.set();
            release.await(60, TimeUnit.SECONDS);
            return value;
        };
    }

    @Test
    void anExecutorCompletionServiceHandsBackResultsAsTheyFinish() throws Exception
    {
        try (PoolExecutor executor = new PoolExecutor(2))
        {
            final Event first = new Event();
            final CompletionService<String> service = new ExecutorCompletionService<>(executor);
            final Future<String> slow = service.submit((Callable<String> & Serializable)() ->
            {
                first.await(60, TimeUnit.SECONDS);
                return "slow";
            });
            final Future<String> fast = service.submit((Callable<String> & Serializable)() -> "fast");
            final Future<String> done = service.take();
            assertSame(fast, done, "the one that finished first comes first");
            assertEquals("fast", done.get());
            assertFalse(slow.isDone());
            first.set();
            assertSame(slow, service.poll(60, TimeUnit.SECONDS));
            assertEquals("slow", slow.get());
        }
    }

    @Test
    void submitGivesACompletableFuture() throws Exception
    {
        try (PoolExecutor executor = new PoolExecutor(1))
        {
            final CompletableFuture<Integer> answer = executor.submit(() -> 6 * 7);
            assertEquals(43, answer.thenApply(x -> x + 1).get(60, TimeUnit.SECONDS));
            final ExecutorService service = executor;
            final CompletableFuture<?> viaInterface = (CompletableFuture<?>)service.submit(
                (Callable<String> & Serializable)() -> "through the interface");
            assertEquals("through the interface", viaInterface.get(60, TimeUnit.SECONDS));
            final CompletableFuture<Integer> failed = executor.submit(() ->
            {
                throw new IllegalStateException("nope");
            });
            assertEquals("recovered from nope", failed.exceptionally(e -> 0).thenCombine(
                failed.handle((v, e) -> "recovered from " + e.getMessage()), (zero, text) -> text)
                .get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void invokeAnyWhenAllFailRaisesTheLastFailureAsItself()
    {
        try (PoolExecutor executor = new PoolExecutor(1))
        {
            final List<Callable<Integer>> tasks = List.of(
                (Callable<Integer> & Serializable)() ->
                {
                    throw new IllegalArgumentException("first");
                },
                (Callable<Integer> & Serializable)() ->
                {
                    throw new IllegalArgumentException("second");
                });
            final ExecutionException error = assertThrows(ExecutionException.class, () -> executor.invokeAny(tasks));
            assertInstanceOf(IllegalArgumentException.class, error.getCause());
        }
    }

    @Test
    void shutdownNowReturnsTheTasksThatNeverRan() throws Exception
    {
        final PoolExecutor executor = new PoolExecutor(1);
        try
        {
            final Event started = new Event();
            final Event never = new Event();
            final Future<Integer> running = executor.submit(blocking(started, never, 1));
            final List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                queued.add(executor.submit(blocking(new Event(), never, 2 + i)));
            }
            assertTrue(started.await(60, TimeUnit.SECONDS), "the first task never started");
            final List<Runnable> notRun = executor.shutdownNow();
            assertEquals(new HashSet<Object>(queued), new HashSet<Object>(notRun), "the three queued tasks");
            for (final Runnable task : notRun)
            {
                assertFalse(((Future<?>)task).isDone(), "a task handed back did not run and is not complete");
            }
            final ExecutionException error = assertThrows(ExecutionException.class, running::get);
            assertInstanceOf(PoolClosedException.class, error.getCause(), "the running one was terminated");
            assertTrue(executor.isTerminated());
            notRun.get(0).run(); // running one here fails it: the pool is gone
            final ExecutionException rerun = assertThrows(ExecutionException.class, queued.get(0)::get);
            assertInstanceOf(PoolClosedException.class, rerun.getCause());
        }
        finally
        {
            executor.pool().terminate();
        }
    }

    @Test
    void shutdownWithCancelFuturesCancelsWhatNoWorkerTookAndFinishesTheRest() throws Exception
    {
        try (PoolExecutor executor = new PoolExecutor(1))
        {
            final Event started = new Event();
            final Event release = new Event();
            final Future<Integer> running = executor.submit(blocking(started, release, 1));
            final Future<Integer> queued1 = executor.submit(() -> 2);
            final Future<Integer> queued2 = executor.submit(() -> 3);
            assertTrue(started.await(60, TimeUnit.SECONDS), "the first task never started");
            executor.shutdown(true);
            assertTrue(executor.isShutdown());
            assertTrue(queued1.isCancelled());
            assertTrue(queued2.isCancelled());
            assertFalse(running.isDone());
            release.set();
            assertEquals(1, running.get(60, TimeUnit.SECONDS), "a task a worker took runs to the end");
            assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS));
            assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> executor.submit(() -> 4),
                "no new task after shutdown, as the ExecutorService contract says");
        }
    }
}
