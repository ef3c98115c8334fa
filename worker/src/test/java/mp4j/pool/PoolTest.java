package mp4j.pool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** Python's Pool semantics across real worker JVMs; one pool shared by the tests that do not break it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolTest
{
    private static Pool pool;

    @BeforeAll
    static void startPool()
    {
        pool = new Pool(new PoolConfig().processes(2).name("PoolTest"));
    }

    @AfterAll
    static void stopPool()
    {
        if (pool != null)
        {
            pool.terminate();
        }
    }

    private static List<Integer> range(final int n)
    {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void mapReturnsResultsInInputOrder()
    {
        final List<Integer> squares = pool.map((Integer x) -> x * x, range(1000));
        assertEquals(range(1000).stream().map(x -> x * x).collect(Collectors.toList()), squares);
    }

    @Test
    void mapWithChunksizeAndEmptyInput()
    {
        assertEquals(List.of(2, 4, 6), pool.map((Integer x) -> 2 * x, List.of(1, 2, 3), 2));
        assertEquals(List.of(), pool.map((Integer x) -> x, List.of()));
    }

    @Test
    void pythonDefaultChunksize()
    {
        assertEquals(13, pool.chunkSize(100, 0)); // divmod(100, 2 * 4) = (12, 4): 12 + 1
        assertEquals(2, pool.chunkSize(16, 0));
        assertEquals(0, pool.chunkSize(0, 0));
        assertEquals(5, pool.chunkSize(100, 5));
        assertThrows(IllegalArgumentException.class, () -> pool.chunkSize(100, -1));
    }

    @Test
    void starmapAndApply()
    {
        final List<Object[]> pairs = List.of(new Object[]{1, 2}, new Object[]{3, 4});
        assertEquals(List.of(3, 7), pool.starmap(a -> (int)a[0] + (int)a[1], pairs));
        assertEquals("ab", pool.apply(a -> (String)a[0] + a[1], "a", "b"));
    }

    @Test
    void resultsComeFromOtherProcesses()
    {
        final long me = ProcessHandle.current().pid();
        final Set<Long> pids = new HashSet<>(pool.map((Integer x) ->
        {
            Thread.sleep(5);
            return ProcessHandle.current().pid();
        }, range(40), 1));
        assertFalse(pids.contains(me));
        assertEquals(2, pids.size(), "both workers took tasks: " + pids);
    }

    @Test
    void imapKeepsOrderAndImapUnorderedDoesNot() throws Exception
    {
        final List<Integer> delays = List.of(300, 0, 0, 0);
        final IMapIterator<Integer> ordered = pool.imap((Integer ms) ->
        {
            Thread.sleep(ms);
            return ms;
        }, delays);
        final List<Integer> inOrder = new ArrayList<>();
        ordered.forEach(inOrder::add);
        assertEquals(delays, inOrder);

        final List<Integer> byCompletion = new ArrayList<>();
        for (final Integer ms : pool.<Integer, Integer>imapUnordered(ms ->
        {
            Thread.sleep(ms);
            return ms;
        }, delays))
        {
            byCompletion.add(ms);
        }
        assertEquals(300, byCompletion.get(byCompletion.size() - 1), "the slow one finishes last: " + byCompletion);
        assertEquals(new HashSet<>(delays), new HashSet<>(byCompletion));
    }

    @Test
    void imapNextWithTimeout() throws Exception
    {
        final IMapIterator<Integer> it = pool.imap((Integer ms) ->
        {
            Thread.sleep(ms);
            return ms;
        }, List.of(2_000));
        assertThrows(TimeoutException.class, () -> it.next(50, TimeUnit.MILLISECONDS));
        assertEquals(2_000, it.next(30, TimeUnit.SECONDS));
        assertFalse(it.hasNext());
    }

    @Test
    void taskExceptionKeepsItsTypeMessageAndRemoteTrace()
    {
        final ArithmeticException error = assertThrows(ArithmeticException.class,
            () -> pool.map((Integer x) -> 10 / x, List.of(1, 0, 2)));
        assertEquals("/ by zero", error.getMessage());
        final Throwable remote = assertInstanceOf(ArithmeticException.class, error.getCause());
        assertEquals("/ by zero", remote.getMessage());
        assertTrue(remote.getStackTrace()[0].getClassName().startsWith("mp4j.pool.PoolTest"),
            "the remote trace points at the lambda: " + remote.getStackTrace()[0]);
    }

    @Test
    void applyAsyncCallbacksRunOnTheCallbackThreadBeforeGetReturns() throws Exception
    {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final AsyncResult<Integer> ok = pool.applyAsync(a -> (int)a[0] * 2, new Object[]{21},
            value -> seen.add(Thread.currentThread().getName() + "=" + value), null);
        assertEquals(42, ok.get());
        assertEquals(List.of("PoolTest-callbacks=42"), seen);
        assertTrue(ok.ready());
        assertTrue(ok.successful());

        final CountDownLatch failed = new CountDownLatch(1);
        final AsyncResult<Object> bad = pool.applyAsync(a ->
        {
            throw new IllegalStateException("nope");
        }, new Object[0], null, error ->
        {
            seen.add("error " + error.getMessage());
            failed.countDown();
        });
        assertThrows(IllegalStateException.class, bad::join);
        assertTrue(failed.await(10, TimeUnit.SECONDS));
        assertFalse(bad.successful());
        assertTrue(seen.get(1).contains("nope"), seen.toString());
    }

    @Test
    void asyncResultAsCompletableFutureAndTimeout() throws Exception
    {
        final AsyncResult<Integer> slow = pool.applyAsync(a ->
        {
            Thread.sleep(500);
            return 7;
        });
        assertThrows(IllegalStateException.class, slow::successful);
        assertThrows(TimeoutException.class, () -> slow.get(10, TimeUnit.MILLISECONDS));
        final CompletableFuture<Integer> future = slow.toCompletableFuture();
        assertEquals(8, future.thenApply(v -> v + 1).get(30, TimeUnit.SECONDS));
        assertTrue(slow.await(30, TimeUnit.SECONDS));
    }

    @Test
    void bigArgumentsAndResultsGoInFragments()
    {
        final byte[] big = new byte[1_000_000];
        for (int i = 0; i < big.length; i++)
        {
            big[i] = (byte)i;
        }
        final byte[] echoed = pool.apply(a ->
        {
            final byte[] in = (byte[])a[0];
            final byte[] out = new byte[in.length * 2];
            System.arraycopy(in, 0, out, 0, in.length);
            System.arraycopy(in, 0, out, in.length, in.length);
            return out;
        }, (Object)big);
        assertEquals(2_000_000, echoed.length);
        for (int i = 0; i < echoed.length; i++)
        {
            assertEquals((byte)(i % big.length), echoed[i], "byte " + i);
        }
    }

    @Test
    void unserializableArgumentFailsThatCallNotThePool()
    {
        final Object notSerializable = new Object();
        final AsyncResult<Object> result = pool.applyAsync(a -> a[0], notSerializable);
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, result::join);
        assertTrue(error.getMessage().contains("java.lang.Object"), error.getMessage());
        assertEquals(6, (int)pool.<Integer>apply(a -> 6));
    }

    @Test
    void unserializableResultFailsThatTask()
    {
        final IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> pool.apply(a -> new Object()));
        assertTrue(error.getMessage().contains("cannot be sent back"), error.getMessage());
        assertEquals(5, (int)pool.<Integer>apply(a -> 5));
    }

    @Test
    void argumentOfAClassOutsideTheAllowListIsRefused()
    {
        final RuntimeException error = assertThrows(RuntimeException.class,
            () -> pool.apply(a -> a[0].toString(), new java.io.File("/tmp")));
        assertTrue(error.getMessage().toLowerCase().contains("rejected") ||
            error.getMessage().contains("not allowed"), error.getMessage());
    }

    @Test
    void nullResultsAndNullItems()
    {
        assertEquals(java.util.Arrays.asList(null, "x"),
            pool.map((String s) -> s == null ? null : s, java.util.Arrays.asList(null, "x")));
    }

    @Test
    void manyConcurrentCallersFromThreads() throws Exception
    {
        final List<CompletableFuture<List<Integer>>> calls = new ArrayList<>();
        for (int t = 0; t < 8; t++)
        {
            final int offset = t * 100;
            calls.add(CompletableFuture.supplyAsync(() -> pool.map((Integer x) -> x + 1,
                range(100).stream().map(x -> x + offset).collect(Collectors.toList()), 7)));
        }
        for (int t = 0; t < 8; t++)
        {
            final int offset = t * 100;
            assertEquals(range(100).stream().map(x -> x + offset + 1).collect(Collectors.toList()),
                calls.get(t).get(60, TimeUnit.SECONDS));
        }
        assertTrue(Collections.disjoint(List.of(), List.of()));
    }

    /** A function given as a class, as Python code passes a module-level function. */
    static final class Cube implements RemoteFunction<Integer, Integer>
    {
        @Override
        public Integer apply(final Integer x)
        {
            return x * x * x;
        }
    }

    static int negate(final int x)
    {
        return -x;
    }

    @Test
    void functionsAsClassesAndMethodReferences()
    {
        assertEquals(List.of(1, 8, 27), pool.map(new Cube(), List.of(1, 2, 3)));
        assertEquals(List.of(-1, -2), pool.map(PoolTest::negate, List.of(1, 2)));
        assertEquals(List.of("A", "B"), pool.map(String::toUpperCase, List.of("a", "b")));
    }

    @Test
    void imapRaisesAFailedItemInPlaceAndGoesOn()
    {
        final IMapIterator<Integer> it = pool.imap((Integer x) -> 12 / x, List.of(1, 0, 3));
        assertEquals(12, it.next());
        final ArithmeticException error = assertThrows(ArithmeticException.class, it::next);
        assertInstanceOf(ArithmeticException.class, error.getCause(), "the task's exception is the cause");
        assertEquals(4, it.next());
        assertFalse(it.hasNext());
    }

    @Test
    void imapReadsAnInputThatIsNotACollectionAsItGoes()
    {
        final Iterable<Integer> stream = () -> IntStream.range(0, 5_000).boxed().iterator();
        final List<Integer> results = new ArrayList<>();
        pool.imap((Integer x) -> x + 1, stream, 7).forEachRemaining(results::add);
        assertEquals(IntStream.range(1, 5_001).boxed().collect(Collectors.toList()), results);

        final Set<Integer> unordered = new HashSet<>();
        pool.imapUnordered((Integer x) -> -x, stream).forEachRemaining(unordered::add);
        assertEquals(5_000, unordered.size());
        assertTrue(unordered.contains(-4_999));

        final Iterable<Integer> empty = () -> java.util.Collections.emptyIterator();
        assertFalse(pool.imap((Integer x) -> x, empty).hasNext());
    }

    @Test
    void anEndlessImapInputIsReadOnlyAsFarAsNeeded() throws Exception
    {
        final java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        final Iterable<Long> endless = () -> new java.util.Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                return true;
            }

            @Override
            public Long next()
            {
                return read.getAndIncrement();
            }
        };
        try (Pool own = new Pool(new PoolConfig().processes(2).name("endless")))
        {
            final IMapIterator<Long> it = own.imap((Long x) -> x * 2, endless);
            for (long i = 0; i < 200; i++)
            {
                assertEquals(2 * i, it.next(30, TimeUnit.SECONDS));
            }
            assertTrue(read.get() <= 200 + 2 * 32 + 1, "read ahead of the caller is bounded: " + read.get());
        }
    }

    @Test
    void anImapInputThatRaisesReportsItInPlace()
    {
        final Iterable<Integer> failing = () -> new java.util.Iterator<>()
        {
            private int next;

            @Override
            public boolean hasNext()
            {
                return true;
            }

            @Override
            public Integer next()
            {
                if (next == 3)
                {
                    throw new IllegalStateException("source broke");
                }
                return next++;
            }
        };
        final IMapIterator<Integer> it = pool.imap((Integer x) -> x, failing);
        assertEquals(0, it.next());
        assertEquals(1, it.next());
        assertEquals(2, it.next());
        final IllegalStateException error = assertThrows(IllegalStateException.class, it::next);
        assertEquals("source broke", error.getMessage());
        assertFalse(it.hasNext());
    }
}
