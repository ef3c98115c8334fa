package mp4j.codec;

import example.Point;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The one serialization rule ({@link SerialFilter}): which classes, how much work, what a refusal says. */
@Timeout(120)
class SerialRuleTest
{
    /** A linked node: a value as deep as it is long. */
    record Node(int value, Node next) implements Serializable
    {
    }

    /** The JDK serialization holds this array as it is (no compact form), for the array tests. */
    record Holder(long[] values) implements Serializable
    {
    }

    private static byte[] encode(final Object value)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int length = new ValueCodec().encode(value, buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static Object decode(final ValueCodec codec, final byte[] bytes)
    {
        return codec.decode(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static Object roundTrip(final Object value)
    {
        return decode(new ValueCodec(), encode(value));
    }

    /**
     * The "SerialDOS" value: sets nested {@code depth} deep, each level's two sets in both sets of the level above,
     * so hashing the root calls hashCode about 2^depth times. Built while the sets are small, so building is quick;
     * reading it back rebuilds each set, and hashes.
     */
    static Set<Object> serialDos(final int depth)
    {
        final Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++)
        {
            final Set<Object> t1 = new HashSet<>();
            final Set<Object> t2 = new HashSet<>();
            t1.add("foo"); // t1 and t2 must differ
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    @Test
    void theSerialDosNestOfSetsIsRefused()
    {
        final byte[] bytes = encode(serialDos(30)); // unbounded, 49 s in a worker on this machine; depth 40: days
        final CodecException refused = assertThrows(CodecException.class, () -> decode(new ValueCodec(), bytes));
        assertTrue(refused.getMessage().contains("maxsteps"), refused.getMessage());
        final CodecException deeper = assertThrows(CodecException.class,
            () -> decode(new ValueCodec(), encode(serialDos(60))));
        assertTrue(deeper.getMessage().contains("maxsteps"), deeper.getMessage());
    }

    @Test
    void realisticNestedValuesPass()
    {
        final Map<String, Map<String, List<Set<Integer>>>> nested = new HashMap<>();
        for (int a = 0; a < 200; a++)
        {
            final Map<String, List<Set<Integer>>> inner = new TreeMap<>();
            for (int b = 0; b < 10; b++)
            {
                final List<Set<Integer>> sets = new ArrayList<>();
                for (int c = 0; c < 5; c++)
                {
                    sets.add(new HashSet<>(List.of(a, b, c, a * b * c + 1000)));
                }
                inner.put("k" + b, sets);
            }
            nested.put("key" + a, inner);
        }
        assertEquals(nested, roundTrip(nested));

        final Set<String> wide = new HashSet<>();
        for (int i = 0; i < 200_000; i++)
        {
            wide.add("s" + i);
        }
        assertEquals(wide, roundTrip(wide));

        Set<Object> chain = new HashSet<>(Set.of("leaf")); // sets nested 60 deep, nothing shared
        for (int i = 0; i < 60; i++)
        {
            final Set<Object> outer = new HashSet<>();
            outer.add(chain);
            outer.add(i);
            chain = outer;
        }
        assertEquals(chain, roundTrip(chain));

        Node list = null;
        for (int i = 0; i < 60; i++)
        {
            list = new Node(i, list);
        }
        assertEquals(list, roundTrip(list));
    }

    @Test
    void theProgramsOwnClassesPassWithoutAnAllow()
    {
        assertEquals(new Point(1, 2), roundTrip(new Point(1, 2)));
        assertEquals(List.of(new Point(3, 4)), roundTrip(new ArrayList<>(List.of(new Point(3, 4)))));
        assertEquals(Map.of("p", new Point(5, 6)), roundTrip(new HashMap<>(Map.of("p", new Point(5, 6)))));
        final UncheckedIOException error = (UncheckedIOException)roundTrip(
            new UncheckedIOException("disk", new IOException("full")));
        assertEquals("full", error.getCause().getMessage(), "exceptions of java.* travel");
    }

    @Test
    void aJdkClassOutsideTheSafeSetIsRefusedWithItsNameAndTheFix()
    {
        final byte[] bytes = encode(new AtomicInteger(3));
        final CodecException refused = assertThrows(CodecException.class, () -> decode(new ValueCodec(), bytes));
        assertTrue(refused.getMessage().contains("java.util.concurrent.atomic.AtomicInteger") &&
            refused.getMessage().contains("-Dmp4j.serial.allow=java.util.concurrent.atomic.AtomicInteger") &&
            refused.getMessage().contains("SerialFilter.allow"), refused.getMessage());
        assertEquals(3, ((AtomicInteger)decode(
            new ValueCodec(SerialFilter.of("java.util.concurrent.atomic.*")), bytes)).get());
    }

    @Test
    void aClassFromAnotherClassLoaderIsRefused() throws Exception
    {
        final URL classes = Point.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {classes}, null))
        {
            final Class<?> foreign = Class.forName("example.Point", true, plugin);
            assertNotSame(Point.class, foreign);
            final Object value = foreign.getConstructors()[0].newInstance(7, 8);
            final byte[] bytes = encode(value);
            final Thread thread = Thread.currentThread();
            final ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(plugin);
            try
            {
                final CodecException refused = assertThrows(CodecException.class,
                    () -> decode(new ValueCodec(), bytes));
                assertTrue(refused.getMessage().contains("not loaded from this program's class path"),
                    refused.getMessage());
                assertEquals(foreign, decode(new ValueCodec(SerialFilter.of("example.Point")), bytes).getClass(),
                    "an explicit allow lets it in");
            }
            finally
            {
                thread.setContextClassLoader(before);
            }
        }
    }

    @Test
    void patternsWithABangRefuseEvenTheProgramsOwn()
    {
        final byte[] bytes = encode(new Point(1, 1));
        final CodecException refused = assertThrows(CodecException.class,
            () -> decode(new ValueCodec(SerialFilter.of("!example.*")), bytes));
        assertTrue(refused.getMessage().contains("refused by '!example.*'"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SerialFilter.of("maxwhat=3"));
        assertThrows(IllegalArgumentException.class, () -> SerialFilter.of("java.base/java.lang.*"));
    }

    @Test
    void depthBytesAndArrayLengthsAreBounded()
    {
        Node list = null;
        for (int i = 0; i < 150; i++)
        {
            list = new Node(i, list);
        }
        final byte[] deep = encode(list);
        final CodecException tooDeep = assertThrows(CodecException.class, () -> decode(new ValueCodec(), deep));
        assertTrue(tooDeep.getMessage().contains("maxdepth=100"), tooDeep.getMessage());
        assertEquals(list, decode(new ValueCodec(SerialFilter.of("maxdepth=500")), deep));

        final byte[] big = encode(new Holder(new long[1000]));
        final CodecException tooBig = assertThrows(CodecException.class,
            () -> decode(new ValueCodec(SerialFilter.of("maxbytes=1000")), big));
        assertTrue(tooBig.getMessage().contains("maxbytes=1000"), tooBig.getMessage());

        // a long[4] whose length says 50 million: it must not be allocated (400 MB) on the word of 32 bytes
        final byte[] small = encode(new Holder(new long[] {1, 2, 3, 4}));
        final int at = indexOfLengthFour(small);
        java.nio.ByteBuffer.wrap(small).order(ByteOrder.BIG_ENDIAN).putInt(at, 50_000_000);
        final CodecException claims = assertThrows(CodecException.class, () -> decode(new ValueCodec(), small));
        assertTrue(claims.getMessage().contains("claims 50000000 elements"), claims.getMessage());
    }

    /** Where the stream's big-endian array length 4 sits: after the array's class name "[J" and its descriptor. */
    private static int indexOfLengthFour(final byte[] bytes)
    {
        for (int i = 0; i + 4 <= bytes.length; i++)
        {
            if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 0 && bytes[i + 3] == 4 &&
                i >= 2 && bytes[i - 2] == 0x78 && bytes[i - 1] == 0x70)
            {
                return i;
            }
        }
        throw new AssertionError("no array length in the stream");
    }
}
