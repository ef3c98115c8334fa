package mp4j.sharedmemory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SharedMemoryTest
{
    private final Blocks blocks = new Blocks();

    @AfterEach
    void cleanUp() throws IOException
    {
        blocks.close();
    }

    @Test
    void createsABlockWhereCPythonLooksWithMode0600AndNoHeader()
    {
        final String name = blocks.name();
        try (SharedMemory shm = SharedMemory.create(name, 100))
        {
            assertEquals(name, shm.name());
            assertEquals(100, shm.size());
            assertEquals(Path.of("/dev/shm", name), shm.path());
            assertEquals(100, shm.path().toFile().length(), "exactly the user's bytes: no header of ours");
            assertEquals("rw-------", permissions(shm.path()));
            assertEquals(100, shm.buf().capacity());
            for (int i = 0; i < 100; i++)
            {
                assertEquals(0, shm.buf().getByte(i));
            }
            shm.unlink();
        }
        assertFalse(Blocks.exists(name));
    }

    @Test
    void attachSeesTheSameBytes()
    {
        final String name = blocks.name();
        try (SharedMemory a = SharedMemory.create(name, 4096); SharedMemory b = SharedMemory.attach(name))
        {
            assertEquals(4096, b.size());
            a.buf().putLong(8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, b.buf().getLong(8));
            assertTrue(b.buf().compareAndSetLong(8, 0x1122334455667788L, 7));
            assertEquals(7, a.buf().getLong(8));
            a.unlink();
        }
    }

    @Test
    void randomNamesLookLikeCPythons()
    {
        try (SharedMemory shm = SharedMemory.create(64))
        {
            blocks.track(shm.name(), shm);
            assertTrue(shm.name().matches("psm_[0-9a-f]{8}"), shm.name());
            assertTrue(Blocks.exists(shm.name()));
            shm.unlink();
        }
    }

    @Test
    void pythonStyleOpenCreatesOrAttaches()
    {
        final String name = blocks.name();
        try (SharedMemory created = SharedMemory.open(name, true, 10); SharedMemory attached = SharedMemory.open(name, false, 0))
        {
            assertEquals(10, attached.size());
            created.unlink();
        }
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.open(null, false, 0));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.open(name, false, -1));
    }

    @Test
    void creatingAnExistingNameFails()
    {
        final String name = blocks.name();
        try (SharedMemory shm = SharedMemory.create(name, 10))
        {
            final SharedMemoryException ex =
                assertThrows(SharedMemoryException.class, () -> SharedMemory.create(name, 10));
            assertTrue(ex.isExists());
            assertTrue(ex.getMessage().contains("already exists"), ex.getMessage());
            assertEquals(10, shm.path().toFile().length(), "the existing block is untouched");
        }
    }

    @Test
    void attachingAMissingNameFails()
    {
        final String name = blocks.name();
        final SharedMemoryException ex = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
        assertTrue(ex.isNotFound());
        assertTrue(ex.getMessage().contains("does not exist"), ex.getMessage());
        assertFalse(Blocks.exists(name));
    }

    @Test
    void sizeZeroOrNegativeOrHugeFailsBeforeAnyFile()
    {
        final String name = blocks.name();
        for (final long size : new long[] {0, -1, Long.MIN_VALUE, SharedMemory.MAX_SIZE + 1})
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(name, size));
            assertTrue(ex.getMessage().contains("size"), ex.getMessage());
            assertFalse(Blocks.exists(name));
        }
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(0));
    }

    @Test
    void sizeOverTheFreeSpaceFailsClearly() throws IOException
    {
        final String name = blocks.name();
        final long free = Files.getFileStore(SharedMemoryNames.directory()).getUsableSpace();
        // /dev/shm here is larger than the largest block, so the check is called with a size over the free space
        final SharedMemoryException ex = assertThrows(SharedMemoryException.class,
            () -> SharedMemory.checkFreeSpace(name, SharedMemoryNames.directory(), free + (1L << 30)));
        assertTrue(ex.getMessage().contains("bytes free"), ex.getMessage());
        assertTrue(ex.getMessage().contains("df -h"), ex.getMessage());
        assertFalse(Blocks.exists(name));
    }

    @Test
    void badNamesAreRejectedBeforeAnyFileIsTouched() throws IOException
    {
        final List<String> before = listing();
        final String tooLong = "a".repeat(SharedMemoryNames.NAME_MAX + 1);
        final String tooLongUtf8 = "é".repeat(128); // 256 bytes
        for (final String bad : new String[] {"", "/x", "a/b", "../etc/passwd", "..", ".", "a..b", "x\0y", tooLong,
            tooLongUtf8, "/", "psm_/../../tmp/evil"})
        {
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(bad, 10), bad);
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.unlink(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(null, 10));
        assertEquals(before, listing(), "no file was created or removed");
        assertFalse(Files.exists(Path.of("/tmp/evil")));
        final String longest = "b".repeat(SharedMemoryNames.NAME_MAX);
        blocks.track(longest, null);
        try (SharedMemory shm = SharedMemory.create(longest, 8))
        {
            assertEquals(longest, shm.name(), "255 bytes is allowed");
            shm.unlink();
        }
    }

    @Test
    void controlCharactersAndSessionNamesAreNoBlockNames() throws IOException
    {
        final List<String> before = listing();
        for (final String bad : new String[] {"a\nb", "evil\u001b[2J", "bell\u0007", "tab\tname", "del\u007f",
            "csi\u009b31m", "\u202eexe.txt", "mp4j-1-deadbeef", "mp4j-anything"})
        {
            blocks.track(bad, null); // removed after the test, should it have been made all the same
            final IllegalArgumentException created =
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(bad, 10), bad);
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach(bad), bad);
            final IllegalArgumentException unlinked =
                assertThrows(IllegalArgumentException.class, () -> SharedMemory.unlink(bad), bad);
            assertEquals(created.getMessage(), unlinked.getMessage(), "one rule, one message");
            assertTrue(created.getMessage().contains("control character") ||
                created.getMessage().contains("reserved for mp4j's session files"), created.getMessage());
            assertTrue(created.getMessage().chars().noneMatch(c -> Character.isISOControl(c) ||
                c == '\u202e'), "the message quotes the name escaped: " + created.getMessage());
        }
        assertEquals(before, listing(), "no file was created or removed");
    }

    @Test
    void aBlockOpenToOtherUsersIsAttachedOnlyOnPurpose() throws Exception
    {
        final String name = blocks.name();
        try (SharedMemory shm = SharedMemory.create(name, 64))
        {
            shm.buf().putInt(0, 7);
            Files.setPosixFilePermissions(shm.path(), PosixFilePermissions.fromString("rw-rw-rw-"));
            final SharedMemoryException refused =
                assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
            assertTrue(refused.getMessage().contains("has mode rw-rw-rw-") &&
                refused.getMessage().contains("AttachOption.OTHER_USERS"), refused.getMessage());
            assertThrows(SharedMemoryException.class, () -> ShareableList.attach(name), "lists attach as blocks do");

            try (SharedMemory shared = SharedMemory.attach(name, AttachOption.OTHER_USERS))
            {
                assertEquals(7, shared.buf().getInt(0));
                // passed to another process, the block keeps the option its sender chose
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes))
                {
                    out.writeObject(shared);
                }
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()));
                    SharedMemory copy = (SharedMemory)in.readObject())
                {
                    assertEquals(7, copy.buf().getInt(0));
                }
            }

            System.setProperty("mp4j.shm.otherUsers", "psm_other," + name);
            try (SharedMemory byProperty = SharedMemory.attach(name))
            {
                assertEquals(7, byProperty.buf().getInt(0));
            }
            finally
            {
                System.clearProperty("mp4j.shm.otherUsers");
            }

            Files.setPosixFilePermissions(shm.path(), PosixFilePermissions.fromString("rw-------"));
            try (SharedMemory own = SharedMemory.attach(name))
            {
                assertEquals(7, own.buf().getInt(0), "0600, as mp4j and CPython make blocks, needs no option");
            }
            shm.unlink();
        }
    }

    @Test
    void aSymbolicLinkIsNeverFollowed() throws IOException
    {
        final String name = blocks.name();
        final Path target = Files.createTempFile("mp4j-shm-target", ".bin");
        try
        {
            Files.write(target, new byte[64]);
            Files.createSymbolicLink(SharedMemoryNames.directory().resolve(name), target);
            final SharedMemoryException ex = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
            assertTrue(ex.getMessage().contains("symbolic link"), ex.getMessage());
            assertThrows(SharedMemoryException.class, () -> SharedMemory.create(name, 10));
        }
        finally
        {
            Files.deleteIfExists(target);
        }
    }

    @Test
    void anEmptyFileIsRefusedCleanly() throws IOException
    {
        final String name = blocks.name();
        Files.createFile(SharedMemoryNames.directory().resolve(name),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        final SharedMemoryException ex = assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
        assertTrue(ex.getMessage().contains("empty"), ex.getMessage());
    }

    @Test
    void unlinkTwiceFailsAsInCPython()
    {
        final String name = blocks.name();
        try (SharedMemory shm = SharedMemory.create(name, 10))
        {
            shm.unlink();
            assertTrue(assertThrows(SharedMemoryException.class, shm::unlink).isNotFound());
            shm.buf().putInt(0, 5); // unlinked, still mapped here
            assertEquals(5, shm.buf().getInt(0));
        }
    }

    @Test
    void aClosedBlockFailsInsteadOfCrashing()
    {
        final String name = blocks.name();
        final SharedMemory shm = SharedMemory.create(name, 4096);
        final var buf = shm.buf();
        shm.close();
        shm.close(); // idempotent
        assertTrue(shm.isClosed());
        assertThrows(IndexOutOfBoundsException.class, () -> buf.getLong(0));
        assertThrows(IllegalStateException.class, () -> shm.write(0, new byte[1]));
        assertTrue(Blocks.exists(name), "close does not unlink");
        shm.unlink();
    }

    @Test
    void bulkCopiesWithArraysAndBuffers()
    {
        final String name = blocks.name();
        try (SharedMemory shm = SharedMemory.create(name, 1 << 16))
        {
            final byte[] bytes = new byte[1000];
            new Random(1).nextBytes(bytes);
            shm.write(10, bytes);
            final byte[] back = new byte[1000];
            shm.read(10, back);
            assertArrayEquals(bytes, back);

            final ByteBuffer heap = ByteBuffer.wrap(bytes, 100, 50);
            shm.write(2000, heap);
            assertEquals(150, heap.position());
            final ByteBuffer direct = ByteBuffer.allocateDirect(50);
            shm.read(2000, direct);
            assertFalse(direct.hasRemaining());
            direct.flip();
            for (int i = 0; i < 50; i++)
            {
                assertEquals(bytes[100 + i], direct.get(i));
            }
            direct.rewind();
            shm.write(3000, direct);
            final ByteBuffer target = ByteBuffer.allocate(50);
            shm.read(3000, target);
            assertArrayEquals(Arrays.copyOfRange(bytes, 100, 150), target.array());

            final long[] longs = {1, -2, Long.MAX_VALUE};
            shm.write(4096, longs);
            assertEquals(-2, shm.buf().getLong(4104), "native order, as numpy and struct");
            final long[] longsBack = new long[3];
            shm.read(4096, longsBack);
            assertArrayEquals(longs, longsBack);
            final double[] doubles = {1.5, Double.NaN};
            shm.write(8192, doubles);
            final double[] doublesBack = new double[2];
            shm.read(8192, doublesBack);
            assertArrayEquals(doubles, doublesBack);
            final int[] ints = {7, 8, 9};
            shm.write(9000, ints);
            final int[] intsBack = new int[3];
            shm.read(9000, intsBack);
            assertArrayEquals(ints, intsBack);

            final IndexOutOfBoundsException ex =
                assertThrows(IndexOutOfBoundsException.class, () -> shm.write((1 << 16) - 10, new byte[11]));
            assertTrue(ex.getMessage().contains("outside"), ex.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> shm.read(-1, new byte[1]));
            assertThrows(IndexOutOfBoundsException.class, () -> shm.write(0, new byte[4], 2, 3));
            shm.unlink();
        }
    }

    @Test
    void largeCopiesTakeTheParallelPathAndStayExact()
    {
        final String name = blocks.name();
        final int size = BulkCopy.PARALLEL_THRESHOLD * 2 + 12345;
        try (SharedMemory shm = SharedMemory.create(name, size + 7))
        {
            final byte[] bytes = new byte[size];
            new Random(2).nextBytes(bytes);
            shm.write(7, bytes);
            final byte[] viaBuffer = new byte[size];
            shm.buf().getBytes(7, viaBuffer);
            assertArrayEquals(bytes, viaBuffer, "pwrite and mapped halves land in the same pages");
            final byte[] back = new byte[size];
            shm.read(7, back);
            assertArrayEquals(bytes, back);
            assertEquals(0, shm.buf().getByte(0));
            shm.unlink();
        }
    }

    @Test
    void largeReadsSeeWhatWasWrittenSinceTheLastAndFailClearlyOnceClosed()
    {
        final String name = blocks.name();
        final int size = BulkCopy.PARALLEL_THRESHOLD + 4096;
        final SharedMemory shm = SharedMemory.create(name, size);
        try (SharedMemory other = SharedMemory.attach(name))
        {
            final byte[] back = new byte[size];
            shm.read(0, back); // the first large read maps the block read-only beside its writable mapping
            assertEquals(0, back[size - 1]);
            shm.buf().putByte(size - 1, (byte)7);
            other.buf().putByte(0, (byte)9);
            shm.read(0, back);
            assertEquals(7, back[size - 1], "a write through this process's own mapping");
            assertEquals(9, back[0], "a write through another mapping of the block");
            shm.close();
            final IllegalStateException closed = assertThrows(IllegalStateException.class, () -> shm.read(0, back));
            assertTrue(closed.getMessage().contains(name) && closed.getMessage().contains("closed"),
                closed.getMessage());
            other.read(0, back);
            assertEquals(9, back[0], "closing one mapping leaves the block to the others");
        }
        finally
        {
            shm.close();
            shm.unlink();
        }
    }

    @Test
    void serializesByName() throws Exception
    {
        final String name = blocks.name();
        try (SharedMemory shm = SharedMemory.create(name, 64))
        {
            shm.buf().putInt(0, 99);
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes))
            {
                out.writeObject(shm);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()));
                SharedMemory copy = (SharedMemory)in.readObject())
            {
                assertNotSame(shm, copy);
                assertEquals(name, copy.name());
                assertEquals(99, copy.buf().getInt(0));
            }
            assertEquals("SharedMemory('" + name + "', size=64)", shm.toString());
            shm.unlink();
        }
    }

    private static String permissions(final Path path)
    {
        try
        {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static List<String> listing() throws IOException
    {
        try (var files = Files.list(SharedMemoryNames.directory()))
        {
            return files.map(Path::toString).filter(f -> !f.contains("/mp4j-")).sorted().toList();
        }
    }
}
