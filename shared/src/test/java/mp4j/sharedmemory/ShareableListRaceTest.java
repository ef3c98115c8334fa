package mp4j.sharedmemory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A ShareableList read while another thread or a CPython process rewrites it, without a lock (issue 18: 0.14% of
 * reads threw, mostly a ClassCastException with no message). A read returns a whole item or throws the documented
 * IllegalStateException naming the item; never another exception, never a mix of two items.
 */
class ShareableListRaceTest
{
    /** What the CPython writer cycles through, each item in turn: consecutive values differ in format or code. */
    private static final List<Object> VALUES = Arrays.asList(12345L, "hello", 2.5, new byte[] {1, 2, 3}, true, null,
        -7L, "héllo wörld", false, 1e300, "0123456789abcdefghijklm".getBytes(StandardCharsets.US_ASCII),
        "twenty-three bytes long");
    /** The Python twin of VALUES. */
    private static final String PY_VALUES = "[12345, 'hello', 2.5, b'\\x01\\x02\\x03', True, None, -7, " +
        "'héllo wörld', False, 1e300, b'0123456789abcdefghijklm', 'twenty-three bytes long']";
    private static final int ITEMS = 4;
    /** What every item holds at first: its 24-byte slot takes every value. */
    private static final String FIRST = "twenty-three bytes long";
    /** The Java writer's states, after FIRST: each of another format or code than all the others. */
    private static final List<Object> STATES = Arrays.asList(12345L, 2.5, new byte[] {1, 2, 3}, true, null);
    private static final int ROUND_ITEMS = 2048;
    private static final long READ_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private final Blocks blocks = new Blocks();

    @AfterEach
    void cleanUp() throws IOException
    {
        blocks.close();
    }

    /** {@code n} items whose 24-byte slots take every value written here. */
    private ShareableList newList(final int n)
    {
        final List<Object> items = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            items.add(FIRST);
        }
        return ShareableList.create(blocks.name(), items);
    }

    /**
     * Each item goes once through states that differ in format or code (str, int, float, bytes, bool, None), so no
     * read can meet an item rewritten back to the format and code it started with (ABA, which the layout cannot
     * show; see ShareableList's javadoc): every value a read returns must be one that was written. The reader
     * chases the item being written.
     */
    @Test
    void everyReadIsAWrittenValueOrTheDocumentedExceptionWhileAJavaThreadRewrites() throws Exception
    {
        final Tally tally = new Tally();
        final long end = System.nanoTime() + READ_NANOS;
        int rounds = 0;
        while (System.nanoTime() < end)
        {
            rewriteOnceWhileReading(tally);
            rounds++;
        }
        tally.assertOnlyDocumentedFailures();
        assertTrue(tally.notWritten.isEmpty(), () -> tally + "; values never written: " + tally.notWritten);
        assertTrue(tally.values > 0, () -> "no read got through: " + tally);
        System.out.println("ShareableListRaceTest (Java writer, " + rounds + " lists of " + ROUND_ITEMS + " items " +
            "rewritten " + STATES.size() + " times): " + tally);
    }

    private void rewriteOnceWhileReading(final Tally tally) throws Exception
    {
        try (ShareableList list = newList(ROUND_ITEMS); ShareableList writerView = ShareableList.attach(list.name()))
        {
            final AtomicInteger writing = new AtomicInteger();
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicReference<Throwable> writerFailed = new AtomicReference<>();
            final Thread writer = new Thread(() ->
            {
                try
                {
                    for (final Object state : STATES)
                    {
                        for (int i = 0; i < ROUND_ITEMS; i++)
                        {
                            writing.set(i);
                            writerView.set(i, state);
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    writerFailed.set(ex);
                }
                finally
                {
                    done.set(true);
                }
            }, "ShareableList-writer");
            writer.setDaemon(true);
            writer.start();
            try
            {
                while (!done.get())
                {
                    read(list, writing.get(), tally, value -> isState(value) || FIRST.equals(value));
                }
            }
            finally
            {
                done.set(true);
                writer.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertNull(writerFailed.get(), () -> "the writer failed: " + writerFailed.get());
            list.unlink();
        }
    }

    @Test
    void readsWhileCPythonRewritesAreWholeItemsOrTheDocumentedException() throws Exception
    {
        Python.assumeAvailable();
        try (ShareableList list = newList(ITEMS))
        {
            // CPython writes an item's format, then its code, then its bytes, with no marker: a reader that catches
            // a writer stopped between them can read the old bytes under the new format. What mp4j can promise
            // here is an item of one format and code, or the documented exception (see ShareableList's javadoc).
            final Process python = new ProcessBuilder("python3", "-c", Python.PRELUDE + String.join("\n",
                "import time",
                "sl = shared_memory.ShareableList(name=sys.argv[1])",
                "untrack(sl.shm)",
                "values = " + PY_VALUES,
                "print('writing', flush=True)",
                "n = 0",
                "end = time.monotonic() + float(sys.argv[2])",
                "while time.monotonic() < end:",
                "    for _ in range(1000):",
                "        sl[n % " + ITEMS + "] = values[(n // " + ITEMS + ") % len(values)]",
                "        n += 1",
                "sl.shm.close()",
                "print('wrote', n, flush=True)"), list.name(), "2.5").redirectErrorStream(true).start();
            try
            {
                final BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(),
                    StandardCharsets.UTF_8));
                assertEquals("writing", out.readLine(), "python3 did not start writing");
                final long[] neverWritten = new long[1];
                final Tally tally = readWhileWritten(list, value ->
                {
                    if (!isWritten(value) && !FIRST.equals(value))
                    {
                        neverWritten[0]++; // the old bytes under a new format: CPython's own race, counted
                    }
                    return hasAWrittenType(value);
                });
                final String wrote = out.readLine();
                assertTrue(python.waitFor(30, TimeUnit.SECONDS), "python3 did not finish");
                assertEquals(0, python.exitValue(), "python3 failed: " + wrote);
                tally.assertOnlyDocumentedFailures();
                assertTrue(tally.notWritten.isEmpty(), () -> tally + "; reads of no written type: " + tally.notWritten);
                assertTrue(tally.values > 0, () -> "no read got through: " + tally);
                System.out.println("ShareableListRaceTest (CPython writer, " + wrote + "): " + tally + "; " +
                    neverWritten[0] + " values no one wrote (a CPython writer caught between its stores)");
            }
            finally
            {
                python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            list.unlink();
        }
    }

    @Test
    void aDamagedItemFailsWithTheDocumentedExceptionNamingIt()
    {
        try (ShareableList list = ShareableList.create(blocks.name(), List.of(1L, "ab")))
        {
            // item 1's code says str while its format says int: no writer ever leaves it so
            final int formats = (int)(ShareableListLayout.dataStart(2) + 8 + 8);
            list.shm().buf().putBytes(formats + 8, new byte[] {'q', 0, 0, 0, 0, 0, 0, 0});
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> list.get(1));
            assertTrue(ex.getMessage().contains("item 1 of ShareableList '" + list.name() + "'"), ex.getMessage());
            assertEquals(1L, list.get(0));
            assertTrue(list.toString().contains("<undecodable>"), list.toString());
            list.unlink();
        }
    }

    private static Tally readWhileWritten(final ShareableList list, final Predicate<Object> written)
    {
        final Tally tally = new Tally();
        final long end = System.nanoTime() + READ_NANOS;
        for (int n = 0; System.nanoTime() < end; n++)
        {
            read(list, n % ITEMS, tally, written);
        }
        return tally;
    }

    private static void read(final ShareableList list, final int index, final Tally tally,
        final Predicate<Object> written)
    {
        try
        {
            final Object value = list.get(index);
            tally.values++;
            if (!written.test(value) && tally.notWritten.size() < 10)
            {
                tally.notWritten.add(describe(value));
            }
        }
        catch (final IllegalStateException ex)
        {
            tally.documented++;
            if (ex.getMessage() == null || !ex.getMessage().contains("item " + index + " of ShareableList"))
            {
                tally.undocumented.add(ex);
            }
        }
        catch (final RuntimeException ex)
        {
            tally.undocumented.add(ex);
        }
    }

    private static boolean isState(final Object value)
    {
        return matchesOneOf(STATES, value);
    }

    private static boolean isWritten(final Object value)
    {
        return matchesOneOf(VALUES, value);
    }

    private static boolean matchesOneOf(final List<Object> candidates, final Object value)
    {
        for (final Object candidate : candidates)
        {
            if (candidate == null ? value == null : value != null && candidate.getClass() == value.getClass() &&
                (candidate instanceof byte[] c ? Arrays.equals(c, (byte[])value) : candidate.equals(value)))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean hasAWrittenType(final Object value)
    {
        return value == null || Set.of(Long.class, Double.class, Boolean.class, String.class, byte[].class)
            .contains(value.getClass());
    }

    private static String describe(final Object value)
    {
        return value instanceof byte[] b ? "bytes " + Arrays.toString(b) :
            (value == null ? "null" : value.getClass().getSimpleName() + " " + value);
    }

    private static final class Tally
    {
        long values;
        long documented;
        final List<String> notWritten = new ArrayList<>();
        final List<RuntimeException> undocumented = new ArrayList<>();

        void assertOnlyDocumentedFailures()
        {
            if (!undocumented.isEmpty())
            {
                final AssertionError failure = new AssertionError(undocumented.size() + " reads failed with other " +
                    "than an IllegalStateException naming the item (" + this + "); the first: " + undocumented.get(0),
                    undocumented.get(0));
                throw failure;
            }
        }

        @Override
        public String toString()
        {
            return values + " reads returned a value, " + documented + " threw the documented exception, " +
                undocumented.size() + " threw another";
        }
    }
}
