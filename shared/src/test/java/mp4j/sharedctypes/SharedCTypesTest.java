package mp4j.sharedctypes;

import mp4j.session.TempSession;
import mp4j.synchronize.Lock;
import mp4j.synchronize.RLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Value and Array in one process; across processes: worker's SharedCTypesProcessTest. */
class SharedCTypesTest
{
    @RegisterExtension
    final TempSession temp = new TempSession();

    @Test
    void sizesAreCPythonsOnLinux()
    {
        final String codes = "bBhHiIlLqQfdc";
        final int[] sizes = {1, 1, 2, 2, 4, 4, 8, 8, 8, 8, 4, 8, 1};
        for (int i = 0; i < codes.length(); i++)
        {
            assertEquals(sizes[i], CTypes.size(codes.charAt(i)), "size of " + codes.charAt(i));
        }
    }

    @Test
    void valuesWrapAsCAndUnsignedAreZeroExtended()
    {
        final Value b = Value.create(temp.session(), "b", 'b', true);
        b.set(200);
        assertEquals(-56, b.get());
        final Value ub = Value.create(temp.session(), "B", 'B', true);
        ub.set(300);
        assertEquals(44, ub.get());
        final Value ui = Value.create(temp.session(), "I", 'I', false);
        ui.set(-1);
        assertEquals(0xFFFF_FFFFL, ui.get());
        assertEquals(0, ui.incrementAndGet());
        final Value uq = Value.create(temp.session(), "Q", 'Q', false);
        uq.set(-1);
        assertEquals("Value('Q', 18446744073709551615)", uq.toString());
        final Value d = Value.create(temp.session(), "d", 'd', true);
        d.setDouble(2.5);
        assertEquals(2.5, d.getDouble());
        assertEquals(2, d.get());
        final Value f = Value.create(temp.session(), "f", 'f', true);
        f.setDouble(0.1);
        assertEquals(0.1f, (float)f.getDouble());
        final Value c = Value.create(temp.session(), "c", 'c', true);
        c.set('x');
        assertEquals("Value('c', b'x')", c.toString());
    }

    @Test
    void atomicArithmeticOnEveryIntegerCode()
    {
        for (final char code : "bBhHiIlLqQ".toCharArray())
        {
            final Value v = Value.create(temp.session(), null, code, false);
            assertEquals(0, v.getAndAdd(5));
            assertEquals(6, v.incrementAndGet());
            assertEquals(5, v.decrementAndGet());
            assertTrue(v.compareAndSet(5, 7));
            assertFalse(v.compareAndSet(5, 9));
            assertEquals(7, v.get(), "code " + code);
        }
        final Array shorts = Array.create(temp.session(), null, 'h', 4, false);
        shorts.set(0, 1);
        shorts.set(2, -3);
        assertEquals(-3, shorts.getAndAdd(2, 4));
        assertEquals(1, shorts.get(2));
        assertEquals(1, shorts.get(0), "neighbours untouched");
        assertEquals(0, shorts.get(1));
        assertTrue(shorts.compareAndSet(3, 0, -1));
        assertEquals(-1, shorts.get(3));
    }

    @Test
    void floatsAndCharsRefuseArithmeticClearly()
    {
        final Value d = Value.create(temp.session(), "ratio", 'd', true);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> d.getAndAdd(1));
        assertTrue(ex.getMessage().contains("'ratio'") && ex.getMessage().contains("getDouble"), ex.getMessage());
        assertThrows(IllegalStateException.class, () -> Value.create(temp.session(), null, 'c', true).compareAndSet(0, 1));
    }

    @Test
    void invalidArgumentsAreRefused()
    {
        final IllegalArgumentException unknown =
            assertThrows(IllegalArgumentException.class, () -> Value.create(temp.session(), null, 'z', true));
        assertTrue(unknown.getMessage().contains("unknown type code 'z'"), unknown.getMessage());
        final IllegalArgumentException negative =
            assertThrows(IllegalArgumentException.class, () -> Array.create(temp.session(), null, 'i', -1, true));
        assertTrue(negative.getMessage().contains("size must be >= 0"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Array.create(temp.session(), null, 'd', Integer.MAX_VALUE, true));
        assertThrows(IllegalArgumentException.class, () -> Value.create(temp.session(), null, 'i', "yes"));
        final Array a = Array.create(temp.session(), "a", 'i', 3, true);
        final IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> a.set(3, 1));
        assertTrue(oob.getMessage().contains("index 3 is out of range for Array 'a' of length 3"), oob.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(-4));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(2, new long[4], 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(0, new long[2], 1, 2));
        assertEquals(0, Array.create(temp.session(), null, 'i', 0, true).length());
    }

    @Test
    void negativeIndexesCountFromTheEndAsInPython()
    {
        final Array a = Array.create(temp.session(), "a", 'i', 3, true);
        a.set(0, new long[]{10, 20, 30}, 0, 3);
        assertEquals(30, a.get(-1));
        assertEquals(10, a.get(-3));
        a.set(-2, 21);
        assertEquals(21, a.get(1));
        assertEquals(22, a.incrementAndGet(-2));
        a.setDouble(-1, 31.9);
        assertEquals(31, a.getLong(-1));
        final IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> a.get(-4));
        assertTrue(oob.getMessage().contains("index -4 is out of range for Array 'a' of length 3"), oob.getMessage());
    }

    @Test
    void aCharArrayHasValueAndRawAsBytesAsPython()
    {
        final Array hello = Array.create(temp.session(), "hello", 'c', "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);
        assertEquals(5, hello.length());
        assertArrayEquals("hello".getBytes(), hello.value());
        assertArrayEquals("hello".getBytes(), hello.raw());
        assertEquals('o', hello.get(-1));
        hello.value("hi".getBytes()); // Python: a.value = b'hi' -> value b'hi', raw b'hi\x00lo'
        assertArrayEquals("hi".getBytes(), hello.value());
        assertArrayEquals(new byte[]{'h', 'i', 0, 'l', 'o'}, hello.raw());
        hello.raw("ab".getBytes()); // raw b'ab\x00lo', value b'ab'
        assertArrayEquals(new byte[]{'a', 'b', 0, 'l', 'o'}, hello.raw());
        assertArrayEquals("ab".getBytes(), hello.value());
        hello.value("world".getBytes()); // all five: no room for a NUL, none needed
        assertArrayEquals("world".getBytes(), hello.value());
        final IllegalArgumentException tooLong =
            assertThrows(IllegalArgumentException.class, () -> hello.value("toolong".getBytes()));
        assertTrue(tooLong.getMessage().contains("byte string too long"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hello.raw("toolong".getBytes()));
        assertEquals("Array('c', [b'w', b'o', b'r', b'l', b'd'])", hello.toString());

        final Array empty = Array.create(temp.session(), null, 'c', 4, true);
        assertArrayEquals(new byte[0], empty.value());
        assertArrayEquals(new byte[4], empty.raw());
        assertThrows(UnsupportedOperationException.class,
            () -> Array.create(temp.session(), null, 'i', 2, true).value(), "as Python's AttributeError");
        assertArrayEquals(new long[]{255, 1}, Array.create(temp.session(), null, 'B', new byte[]{(byte)0xFF, 1}, false).toLongArray());
    }

    @Test
    void bulkCopiesRoundTrip()
    {
        final Array a = Array.create(temp.session(), "doubles", 'd', 5, true);
        a.set(1, new double[]{1.5, 2.5, 3.5}, 0, 3);
        assertArrayEquals(new double[]{0, 1.5, 2.5, 3.5, 0}, a.toDoubleArray());
        final Array i = Array.create(temp.session(), "ints", 'i', 3, false);
        i.set(0, new long[]{7, -8, 9}, 0, 3);
        assertArrayEquals(new long[]{7, -8, 9}, i.toLongArray());
        assertEquals("Array('i', [7, -8, 9])", i.toString());
    }

    @Test
    void lockChoicesAsPython() throws Exception
    {
        final Value own = Value.create(temp.session(), "own", 'i', true);
        assertInstanceOf(RLock.class, own.getLock());
        try (var held = own.getLock().acquired())
        {
            assertTrue(own.getLock().tryAcquire(), "its own lock is recursive");
            own.getLock().release();
        }
        final Value raw = Value.create(temp.session(), "raw", 'i', false);
        assertFalse(raw.hasLock());
        assertThrows(IllegalStateException.class, raw::getLock);
        final Lock lock = Lock.create(temp.session(), "shared");
        final Value a = Value.create(temp.session(), "a", 'i', lock);
        final Array b = Array.create(temp.session(), "b", 'i', 2, lock);
        assertInstanceOf(Lock.class, a.getLock());
        assertEquals(lock.entry().lockOffset(), b.getLock().entry().lockOffset());
        lock.acquire();
        assertTrue(a.getLock().isLocked());
        assertFalse(b.getLock().tryAcquire());
        lock.release();
    }

    @Test
    void inspectorShowsValueAndLockOwner()
    {
        final Value v = Value.create(temp.session(), "counter", 'i', true);
        v.set(42);
        v.getLock().acquire();
        final Map<String, Object> out = new HashMap<>();
        SharedCTypesDescriber.describe(temp.session(), v.entry(), out);
        assertEquals(42L, out.get("value"));
        assertEquals("own", out.get("lockKind"));
        @SuppressWarnings("unchecked")
        final Map<String, Object> lock = (Map<String, Object>)out.get("lock");
        assertEquals(true, lock.get("locked"));
        assertEquals(ProcessHandle.current().pid(), lock.get("ownerPid"));
        assertEquals(true, lock.get("ownerAlive"));
        assertEquals(0, lock.get("waiters"));
        v.getLock().release();
        final Array a = Array.create(temp.session(), "arr", 'd', 20, false);
        final Map<String, Object> arr = new HashMap<>();
        SharedCTypesDescriber.describe(temp.session(), a.entry(), arr);
        assertEquals(20L, arr.get("elements"));
        assertEquals(java.util.Collections.nCopies(8, 0.0), arr.get("values"));
        assertEquals("none", arr.get("lockKind"));
        assertNull(arr.get("lock"));
    }
}
