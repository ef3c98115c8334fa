package mp4j.sharedmemory;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.*;

class ShareableListTest
{
    private final Blocks blocks = new Blocks();

    @AfterEach
    void cleanUp() throws IOException
    {
        blocks.close();
    }

    private ShareableList create(final Object... items)
    {
        return ShareableList.create(blocks.name(), Arrays.asList(items));
    }

    @Test
    void layoutIsCPythons()
    {
        // the bytes CPython 3.11 writes for ShareableList([42, 2.5, True, None, 'héllo', b'ab\x00', ''])
        final String python = "0700000000000000000000000000000008000000000000001000000000000000180000000000000020" +
            "000000000000002800000000000000300000000000000038000000000000002a000000000000000000000000000440000000" +
            "0000000001000000000000000068c3a96c6c6f00006162000000000000000000000000000071000000000000006400000000" +
            "000000787878787878783f7878787878783f783873000000000000387300000000000038730000000000000000000301020" +
            "1";
        try (ShareableList list = create(42L, 2.5, true, null, "héllo", new byte[] {'a', 'b', 0}, ""))
        {
            final byte[] bytes = new byte[(int)list.shm().size()];
            list.shm().read(0, bytes);
            assertEquals(python, hex(bytes));
            assertEquals("qdxxxxxxx?xxxxxx?x8s8s8s", list.format());
            list.unlink();
        }
    }

    @Test
    void readsBackWhatCPythonWould()
    {
        try (ShareableList list = create(42L, -1, (short)3, (byte)4, 2.5, 1.5f, true, false, null, "héllo",
            new byte[] {'a', 'b', 0}, "", new byte[0], "a\0", "exactly8"))
        {
            assertEquals(15, list.size());
            assertEquals(42L, list.get(0));
            assertEquals(-1L, list.get(1), "Integer is stored as int64, read as Long");
            assertEquals(3L, list.get(2));
            assertEquals(4L, list.get(3));
            assertEquals(2.5, list.get(4));
            assertEquals(1.5, list.get(5));
            assertEquals(true, list.get(6));
            assertEquals(false, list.get(7));
            assertNull(list.get(8));
            assertEquals("héllo", list.get(9));
            assertArrayEquals(new byte[] {'a', 'b'}, (byte[])list.get(10), "trailing NULs are stripped, as in CPython");
            assertEquals("", list.get(11));
            assertArrayEquals(new byte[0], (byte[])list.get(12));
            assertEquals("a", list.get(13), "CPython's edge case: a str's trailing NULs are lost");
            assertEquals("exactly8", list.get(14));
            assertEquals("16s", list.format(14), "8 bytes need a 16-byte slot: room for a NUL");
            assertEquals("exactly8", list.get(-1));
            assertEquals(42L, list.get(-15));
            assertEquals(42L, list.getLong(0));
            assertEquals(2.5, list.getDouble(4));
            assertTrue(list.getBoolean(6));
            assertEquals("héllo", list.getString(9));
            assertNull(list.getString(8));
            assertArrayEquals(new byte[] {'a', 'b'}, list.getBytes(10));
            assertEquals(1, list.code(9));
            assertEquals(2, list.code(10));
            assertEquals(3, list.code(8));
            final ClassCastException wrongType = assertThrows(ClassCastException.class, () -> list.getLong(9));
            assertTrue(wrongType.getMessage().contains("str 'héllo', not int"), wrongType.getMessage());
            list.unlink();
        }
    }

    @Test
    void indexOutOfRangeNamesTheRange()
    {
        try (ShareableList list = create(1L, 2L, 3L))
        {
            final IndexOutOfBoundsException ex = assertThrows(IndexOutOfBoundsException.class, () -> list.get(3));
            assertTrue(ex.getMessage().contains("index 3 is outside 0..2 (or -3..-1)"), ex.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> list.get(-4));
            assertThrows(IndexOutOfBoundsException.class, () -> list.set(5, 1L));
            list.unlink();
        }
    }

    @Test
    void emptyList()
    {
        try (ShareableList list = create())
        {
            assertEquals(0, list.size());
            assertEquals(16, list.shm().size());
            assertEquals("", list.format());
            assertFalse(list.iterator().hasNext());
            final IndexOutOfBoundsException ex = assertThrows(IndexOutOfBoundsException.class, () -> list.get(0));
            assertTrue(ex.getMessage().contains("empty list"), ex.getMessage());
            list.unlink();
        }
    }

    @Test
    void setFollowsCPythonsRules()
    {
        try (ShareableList list = create("abc", 1L, new byte[] {1}, null, true))
        {
            list.set(0, "abcdefg");
            assertEquals("abcdefg", list.get(0));
            list.set(0, "é");
            assertEquals("é", list.get(0), "the rest of the slot is NUL-padded");
            final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> list.set(0, "abcdefghi"));
            assertTrue(tooLong.getMessage().startsWith("bytes/str item exceeds available storage"), tooLong.getMessage());
            assertEquals("é", list.get(0), "a failed set changes nothing");
            list.set(0, 7L);
            assertEquals(7L, list.get(0));
            assertEquals("q", list.format(0));
            list.set(0, "back");
            assertEquals("back", list.get(0));
            assertEquals("8s", list.format(0));

            list.set(1, "12345678");
            assertEquals("12345678", list.get(1), "an int's 8-byte slot holds 8 bytes of str, as in CPython");
            assertEquals("8s", list.format(1));
            assertThrows(IllegalArgumentException.class, () -> list.set(1, "123456789"));
            list.set(1, 2.25);
            assertEquals(2.25, list.get(1));
            list.set(2, null);
            assertNull(list.get(2));
            assertEquals("xxxxxx?x", list.format(2));
            list.set(3, false);
            assertEquals(false, list.get(3));
            list.set(4, new byte[] {9, 9});
            assertArrayEquals(new byte[] {9, 9}, (byte[])list.get(4));
            assertThrows(IllegalArgumentException.class, () -> list.set(4, new Object()));
            list.unlink();
        }
    }

    @Test
    void countAndIndexUsePythonEquality()
    {
        try (ShareableList list = create(1L, 1.0, true, "1", new byte[] {'1'}, null, 2L, "x"))
        {
            assertEquals(3, list.count(1L), "1 == 1.0 == True in Python");
            assertEquals(3, list.count(true));
            assertEquals(1, list.count("1"));
            assertEquals(1, list.count(new byte[] {'1'}));
            assertEquals(1, list.count(null));
            assertEquals(0, list.count(3L));
            assertEquals(6, list.index(2L));
            assertEquals(6, list.index(2.0));
            assertEquals(7, list.index("x"));
            final NoSuchElementException ex = assertThrows(NoSuchElementException.class, () -> list.index("y"));
            assertEquals("'y' not in this container", ex.getMessage());
            list.unlink();
        }
    }

    @Test
    void iteratesAndPrintsLikePython()
    {
        try (ShareableList list = create(1L, "it's", new byte[] {0x41, (byte)0xff}, null, 1e16, 0.1))
        {
            final List<Object> items = new ArrayList<>();
            list.forEach(items::add);
            assertEquals(6, items.size());
            assertEquals(list.toList().get(1), items.get(1));
            assertEquals("ShareableList([1, \"it's\", b'A\\xff', None, 1e+16, 0.1], name='" + list.name() + "')",
                list.toString());
            list.unlink();
        }
    }

    @Test
    void nonAsciiTextIsNeverCut()
    {
        try (ShareableList list = create("ééééé", "日本語テキスト"))
        {
            assertEquals("ééééé", list.get(0));
            assertEquals("日本語テキスト", list.get(1));
            assertEquals("16s", list.format(0), "10 UTF-8 bytes: a 16-byte slot");
            assertEquals("24s", list.format(1), "21 UTF-8 bytes: a 24-byte slot");
            list.unlink();
        }
    }

    @Test
    void unsupportedItemsAreRejectedBeforeAnyBlockExists()
    {
        final String name = blocks.name();
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ShareableList.create(name, List.of(1L, new java.util.Date())));
        assertTrue(ex.getMessage().contains("item 1 is a java.util.Date"), ex.getMessage());
        assertFalse(Blocks.exists(name));
        assertThrows(IllegalArgumentException.class, () -> ShareableList.create("a/b", List.of(1L)));
    }

    @Test
    void foreignBlocksAreRefusedWithTheReason()
    {
        final String name = blocks.name();
        try (SharedMemory shm = SharedMemory.create(name, 64))
        {
            shm.buf().putLong(0, 1000);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ShareableList.attach(name));
            assertTrue(ex.getMessage().contains("not a ShareableList"), ex.getMessage());
            assertTrue(ex.getMessage().contains("item count 1000"), ex.getMessage());
            shm.buf().putLong(0, 1);
            shm.buf().putLong(16, 3); // offset 1 of a 1-item list: not a multiple of 8
            assertTrue(ShareableListLayout.problem(shm.buf(), 64, false).contains("offset 1"));
            shm.buf().putLong(0, 0);
            assertNull(ShareableListLayout.problem(shm.buf(), 64, false), "zeros read as an empty list when attaching...");
            assertNotNull(ShareableListLayout.problem(shm.buf(), 64, true), "...but not when the size must be exact");
            shm.unlink();
        }
        try (SharedMemory tiny = SharedMemory.create(name, 8))
        {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ShareableList.attach(name))
                .getMessage().contains("less than the 16"));
            tiny.unlink();
        }
        try (ShareableList list = create(1L, "ab"))
        {
            final byte[] bytes = new byte[(int)list.shm().size()];
            list.shm().read(0, bytes);
            bytes[bytes.length - 1] = 9; // back-transform code 9
            assertTrue(ShareableListLayout.problem(new UnsafeBuffer(bytes), bytes.length, true).contains("code 9"));
            final byte[] badFormat = bytes.clone();
            badFormat[bytes.length - 1] = 1;
            badFormat[(int)(ShareableListLayout.dataStart(2) + 16 + 8)] = 'z'; // item 1's format "8s" becomes "zs"
            assertTrue(ShareableListLayout.problem(new UnsafeBuffer(badFormat), bytes.length, true).contains("'zs'"));
            list.unlink();
        }
    }

    @Test
    void attachSeesChangesOfTheOtherSide()
    {
        try (ShareableList a = create(1L, "x"); ShareableList b = ShareableList.attach(a.name()))
        {
            a.set(0, 99L);
            assertEquals(99L, b.get(0));
            b.set(1, "yz");
            assertEquals("yz", a.get(1));
            a.unlink();
        }
    }

    @Test
    void serializesByName() throws Exception
    {
        try (ShareableList list = create(5L, "five"))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes))
            {
                out.writeObject(list);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()));
                ShareableList copy = (ShareableList)in.readObject())
            {
                assertEquals(List.of(5L, "five"), copy.toList());
            }
            list.unlink();
        }
    }

    @Test
    void aViewIsReadOnly()
    {
        try (ShareableList list = create(1L))
        {
            final ShareableList view = ShareableList.view(ShareableList.heapCopy(list.shm().buf(), (int)list.shm().size()), "copy");
            assertEquals(1L, view.get(0));
            assertThrows(UnsupportedOperationException.class, () -> view.set(0, 2L));
            list.unlink();
        }
    }

    static String hex(final byte[] bytes)
    {
        final StringBuilder out = new StringBuilder();
        for (final byte b : bytes)
        {
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }
}
