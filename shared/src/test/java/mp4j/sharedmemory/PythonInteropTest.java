package mp4j.sharedmemory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Java and CPython share blocks and lists both ways; skipped (with a message) where python3 is missing. */
class PythonInteropTest
{
    private final Blocks blocks = new Blocks();

    @BeforeEach
    void needPython()
    {
        Python.assumeAvailable();
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        blocks.close();
    }

    @Test
    void pythonAttachesToAJavaBlockAndWritesBack() throws Exception
    {
        final String name = blocks.name();
        try (SharedMemory shm = SharedMemory.create(name, 10_000))
        {
            final byte[] bytes = new byte[10_000];
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = (byte)(i * 7);
            }
            shm.write(0, bytes);
            shm.buf().putDouble(16, 3.25);
            final String out = Python.run(String.join("\n",
                "shm = shared_memory.SharedMemory(sys.argv[1])",
                "untrack(shm)",
                "ok = all(shm.buf[i] == (i * 7) % 256 for i in range(10000) if not 16 <= i < 24)",
                "print(shm.size, ok, struct.unpack_from('d', shm.buf, 16)[0])",
                "struct.pack_into('q', shm.buf, 100, -42)",
                "shm.close()"), name);
            assertEquals("10000 True 3.25", out);
            assertEquals(-42, shm.buf().getLong(100));
            assertTrue(Blocks.exists(name), "python's exit left the block alone");
            shm.unlink();
        }
    }

    @Test
    void javaAttachesToAPythonBlock() throws Exception
    {
        final String name = blocks.name();
        Python.run(String.join("\n",
            "shm = shared_memory.SharedMemory(sys.argv[1], create=True, size=5000)",
            "untrack(shm)",
            "shm.buf[:5] = b'hello'",
            "struct.pack_into('q', shm.buf, 4992, 123456789012)",
            "shm.close()"), name);
        try (SharedMemory shm = SharedMemory.attach(name))
        {
            assertEquals(5000, shm.size());
            final byte[] hello = new byte[5];
            shm.read(0, hello);
            assertEquals("hello", new String(hello));
            assertEquals(123456789012L, shm.buf().getLong(4992));
            assertTrue(assertThrows(SharedMemoryException.class, () -> SharedMemory.create(name, 10)).isExists(),
                "a Python block's name is taken for Java too");
            shm.unlink();
        }
        final String out = Python.run(String.join("\n",
            "try:",
            "    shared_memory.SharedMemory(sys.argv[1])",
            "except FileNotFoundError:",
            "    print('gone')"), name);
        assertEquals("gone", out, "Java's unlink removed it for Python too");
    }

    @Test
    void pythonMakesRandomNamesJavaAccepts() throws Exception
    {
        final String name = Python.run(String.join("\n",
            "shm = shared_memory.SharedMemory(create=True, size=64)",
            "untrack(shm)",
            "shm.buf[0] = 9",
            "print(shm.name)",
            "shm.close()"));
        blocks.track(name, null);
        assertTrue(name.startsWith("psm_"), name);
        try (SharedMemory shm = SharedMemory.attach(name))
        {
            assertEquals(9, shm.buf().getByte(0));
            shm.unlink();
        }
    }

    private static final String PRINT_LIST = String.join("\n",
        "sl = shared_memory.ShareableList(name=sys.argv[1])",
        "untrack(sl.shm)",
        "print(repr(list(sl)))",
        "print(sl.format)");

    @Test
    void pythonReadsAJavaList() throws Exception
    {
        try (ShareableList list = ShareableList.create(blocks.name(), Arrays.asList(
            42L, -7, Long.MIN_VALUE, 2.5, -0.0, Double.POSITIVE_INFINITY, true, false, null, "héllo wörld",
            "日本語テキスト", "", "a\0", new byte[] {0, 1, (byte)0xff}, new byte[0], "it's \"quoted\"")))
        {
            final String[] out = Python.run(PRINT_LIST, list.name()).split("\n");
            assertEquals("[42, -7, -9223372036854775808, 2.5, -0.0, inf, True, False, None, 'héllo wörld', " +
                "'日本語テキスト', '', 'a', b'\\x00\\x01\\xff', b'', 'it\\'s \"quoted\"']", out[0]);
            assertEquals(list.format(), out[1]);
            list.unlink();
        }
    }

    @Test
    void javaReadsAPythonList() throws Exception
    {
        final String name = blocks.name();
        Python.run(String.join("\n",
            "sl = shared_memory.ShareableList([42, -7, 2.5, True, False, None, 'héllo', '', 'a\\x00', b'ab\\x00',",
            "    b'', 'x' * 100, 10**18], name=sys.argv[1])",
            "untrack(sl.shm)",
            "sl.shm.close()"), name);
        try (ShareableList list = ShareableList.attach(name))
        {
            assertEquals(13, list.size());
            assertEquals(42L, list.get(0));
            assertEquals(-7L, list.get(1));
            assertEquals(2.5, list.get(2));
            assertEquals(true, list.get(3));
            assertEquals(false, list.get(4));
            assertNull(list.get(5));
            assertEquals("héllo", list.get(6));
            assertEquals("", list.get(7));
            assertEquals("a", list.get(8));
            assertArrayEquals(new byte[] {'a', 'b'}, (byte[])list.get(9));
            assertArrayEquals(new byte[0], (byte[])list.get(10));
            assertEquals("x".repeat(100), list.get(11));
            assertEquals(1_000_000_000_000_000_000L, list.get(12));
            assertEquals("qqdxxxxxxx?xxxxxxx?xxxxxx?x8s8s8s8s8s104sq", list.format());
            list.unlink();
        }
    }

    @Test
    void bothSidesWriteTheSameBytesForTheSameList() throws Exception
    {
        final List<Object> items = Arrays.asList(1L, 2.5, true, null, "naïve", "é", "", "abcdefgh", new byte[] {0},
            new byte[0], -3L);
        final String pyItems = "[1, 2.5, True, None, 'naïve', 'é', '', 'abcdefgh', b'\\x00', b'', -3]";
        final String pyName = blocks.name();
        Python.run("sl = shared_memory.ShareableList(" + pyItems + ", name=sys.argv[1])\nuntrack(sl.shm)\nsl.shm.close()",
            pyName);
        try (ShareableList java = ShareableList.create(blocks.name(), items);
            SharedMemory python = SharedMemory.attach(pyName))
        {
            final byte[] javaBytes = new byte[(int)java.shm().size()];
            java.shm().read(0, javaBytes);
            final byte[] pythonBytes = new byte[(int)python.size()];
            python.read(0, pythonBytes);
            assertEquals(ShareableListTest.hex(pythonBytes), ShareableListTest.hex(javaBytes));
            java.unlink();
            python.unlink();
        }
        final String emptyName = blocks.name();
        Python.run("sl = shared_memory.ShareableList([], name=sys.argv[1])\nuntrack(sl.shm)\nsl.shm.close()", emptyName);
        try (ShareableList python = ShareableList.attach(emptyName); ShareableList java = ShareableList.create(blocks.name(), List.of()))
        {
            assertEquals(0, python.size());
            assertEquals(python.shm().size(), java.shm().size());
            assertEquals("[]", Python.run(PRINT_LIST, java.name()).split("\n")[0]);
            python.unlink();
            java.unlink();
        }
    }

    @Test
    void setsAreSeenAcrossAndFollowTheSameSlotRule() throws Exception
    {
        try (ShareableList list = ShareableList.create(blocks.name(), Arrays.asList(1L, "abc", null, 2.0)))
        {
            final String out = Python.run(String.join("\n",
                "sl = shared_memory.ShareableList(name=sys.argv[1])",
                "untrack(sl.shm)",
                "sl[0] = 'seven'",
                "sl[1] = b'xyz'",
                "sl[2] = 3.5",
                "try:",
                "    sl[1] = 'way too long for the slot'",
                "except ValueError as e:",
                "    print(e)",
                "sl.shm.close()"), list.name());
            assertEquals("bytes/str item exceeds available storage", out);
            assertEquals("seven", list.get(0));
            assertArrayEquals("xyz".getBytes(), (byte[])list.get(1));
            assertEquals(3.5, list.get(2));
            list.set(3, "ü");
            list.set(2, null);
            final IllegalArgumentException javaError =
                assertThrows(IllegalArgumentException.class, () -> list.set(1, "way too long for the slot"));
            assertTrue(javaError.getMessage().startsWith("bytes/str item exceeds available storage"));
            assertEquals("['seven', b'xyz', None, 'ü']", Python.run(PRINT_LIST, list.name()).split("\n")[0]);
            list.unlink();
        }
    }

    @Test
    void textCPythonCutAtCreationFailsClearlyInJavaAsInPython() throws Exception
    {
        final String name = blocks.name();
        Python.run("sl = shared_memory.ShareableList(['ééééé', '日本語テキスト'], name=sys.argv[1])\n" +
            "untrack(sl.shm)\nsl.shm.close()", name);
        try (ShareableList list = ShareableList.attach(name))
        {
            assertEquals("éééé", list.get(0), "CPython kept 8 of the 10 bytes: what Python reads too");
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> list.get(1));
            assertTrue(ex.getMessage().contains("gh-88336"), ex.getMessage());
            assertEquals(8, list.getRaw(1).length);
            final Python.Result python = Python.runAllowingFailure(String.join("\n",
                "sl = shared_memory.ShareableList(name=sys.argv[1])",
                "untrack(sl.shm)",
                "sl[1]"), name);
            assertTrue(python.stderr().contains("UnicodeDecodeError"), python.stderr());
            list.unlink();
        }
    }
}
