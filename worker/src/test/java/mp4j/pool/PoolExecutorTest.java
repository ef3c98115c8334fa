package mp4j.pool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The java.util.concurrent face of the pool. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolExecutorTest
{
    private static PoolExecutor executor;

    @BeforeAll
    static void start()
    {
        executor = new PoolExecutor(2);
    }

    @AfterAll
    static void stop()
    {
        executor.close();
    }

    @Test
    void submitRunsInAWorker() throws Exception
    {
        final Future<Long> pid = executor.submit(() -> ProcessHandle.current().pid());
        assertNotEquals(ProcessHandle.current().pid(), pid.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aTaskExceptionIsTheCauseOfExecutionException()
    {
        final Future<Object> failing = executor.submit(() ->
        {
            throw new java.io.IOException("disk gone");
        });
        final ExecutionException error = assertThrows(ExecutionException.class, failing::get);
        final java.io.IOException remote = assertInstanceOf(java.io.IOException.class, error.getCause());
        assertEquals("disk gone", remote.getMessage());
    }

    @Test
    void invokeAllAndInvokeAnyThroughTheInterface() throws Exception
    {
        final ExecutorService service = executor;
        final List<Callable<Integer>> tasks = List.of(
            (Callable<Integer> & Serializable)() -> 1,
            (Callable<Integer> & Serializable)() -> 2,
            (Callable<Integer> & Serializable)() -> 3);
        int sum = 0;
        for (final Future<Integer> f : service.invokeAll(tasks))
        {
            sum += f.get();
        }
        assertEquals(6, sum);
        final List<Callable<String>> race = List.of(
            (Callable<String> & Serializable)() ->
            {
                Thread.sleep(3_000);
                return "slow";
            },
            (Callable<String> & Serializable)() -> "fast");
        assertEquals("fast", service.invokeAny(race));
    }

    @Test
    void aPlainLambdaThroughTheInterfaceIsRefusedWithAHint()
    {
        final ExecutorService service = executor;
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> service.submit((Callable<Integer>)() -> 1));
        assertTrue(error.getMessage().contains("serializable"), error.getMessage());
    }

    @Test
    void shutdownAndAwaitTerminationOnItsOwnPool() throws Exception
    {
        final PoolExecutor own = new PoolExecutor(1);
        try
        {
            final Future<Integer> f = own.submit(() ->
            {
                Thread.sleep(100);
                return 9;
            });
            own.shutdown();
            assertTrue(own.isShutdown());
            assertTrue(own.awaitTermination(60, TimeUnit.SECONDS));
            assertTrue(own.isTerminated());
            assertEquals(9, f.get());
        }
        finally
        {
            own.close();
        }
    }
}
