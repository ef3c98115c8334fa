package mp4j.session;

import mp4j.util.ProcessIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import static mp4j.session.SessionLayout.*;
import static org.junit.jupiter.api.Assertions.*;

/** Creating, attaching and refusing session files. */
class SessionFileTest
{
    @TempDir
    Path dir;

    private Session create()
    {
        return Session.create(dir, 8, 16, 64 * 1024);
    }

    @Test
    void createdFileIsOwnerOnlyAndAttachable() throws Exception
    {
        try (Session created = create())
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created.file())));
            assertTrue(SessionFiles.isSessionName(created.name()), created.name());
            assertEquals(ProcessIdentity.current().pid(), created.creator().pid());
            assertTrue(created.creator().isAlive());
            assertFalse(created.isStale());
            try (Session attached = Session.attach(created.file()))
            {
                assertEquals(created.fileLength(), attached.fileLength());
                assertEquals("MainProcess", attached.processTable().name(0));
                assertEquals(SLOT_RUNNING, attached.processTable().state(0));
                // what one mapping writes, the other sees: they are the same pages
                final long offset = created.allocate(8);
                created.buffer().putLongVolatile((int)offset, 42);
                assertEquals(42, attached.buffer().getLongVolatile((int)offset));
            }
            created.unlink();
        }
    }

    @Test
    void allocationIsAlignedAndBounded()
    {
        try (Session session = create())
        {
            final long a = session.allocate(1);
            final long b = session.allocate(100);
            assertEquals(0, a % OBJECT_ALIGNMENT);
            assertEquals(0, b % OBJECT_ALIGNMENT);
            assertEquals(a + OBJECT_ALIGNMENT, b);
            assertThrows(IllegalArgumentException.class, () -> session.allocate(0));
            final SessionFullException full = assertThrows(SessionFullException.class, () -> session.allocate(1 << 20));
            assertTrue(full.getMessage().contains("mp4j.session.size"), full.getMessage());
            session.unlink();
        }
    }

    @Test
    void directoryListsObjectsByName()
    {
        try (Session session = create())
        {
            final DirectoryEntry counter = session.directory().allocate(ObjectKind.VALUE, "counter", 'i', 4, 1, 0);
            final DirectoryEntry unnamed = session.directory().allocate(ObjectKind.ARRAY, null, 'd', 80, 10, 0);
            assertEquals("counter", session.directory().find("counter").name());
            assertEquals(counter.offset(), session.directory().find("counter").offset());
            assertEquals("Array-1", unnamed.name());
            assertEquals(10, unnamed.count());
            assertEquals(2, session.directory().entries().size());
            assertTrue(session.directory().isInBounds(unnamed));
            for (int i = 2; i < 16; i++)
            {
                session.directory().allocate(ObjectKind.LOCK, null, 0, 8, 0, 0);
            }
            assertThrows(SessionFullException.class,
                () -> session.directory().allocate(ObjectKind.LOCK, null, 0, 8, 0, 0));
            session.unlink();
        }
    }

    @Test
    void processSlotsAreClaimedAndReused()
    {
        try (Session session = create())
        {
            final ProcessTable table = session.processTable();
            final int first = table.claim(0, "a", "process", true);
            assertEquals(SLOT_NEW, table.state(first));
            assertTrue(table.isDaemon(first));
            table.markExited(first, 0, false);
            for (int i = 1; i < 8; i++)
            {
                table.claim(0, "p" + i, "process", false); // 7 free slots, then the exited one again
            }
            assertEquals(SLOT_NEW, table.state(first), "the exited slot was reused");
            assertEquals("p7", table.name(first));
            // every slot holds a NEW process without a pid: nothing is reusable
            assertThrows(SessionFullException.class, () -> table.claim(0, "x", "process", false));
            session.unlink();
        }
    }

    @Test
    void namesAreCutAtCharacterBoundaries()
    {
        try (Session session = create())
        {
            final String longName = "é".repeat(100);
            final int slot = session.processTable().claim(0, longName, "process", false);
            final String stored = session.processTable().name(slot);
            assertTrue(longName.startsWith(stored) && stored.length() == SLOT_NAME_LENGTH / 2, stored);
            session.unlink();
        }
    }

    @Test
    void staleWhenCreatorIsGone() throws Exception
    {
        try (Session session = create())
        {
            final java.lang.Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            session.buffer().putLong(CREATOR_PID_OFFSET, gone.pid());
            session.processTable().setIdentity(0, new ProcessIdentity(gone.pid(), 0));
            // The creator is read once, when a process opens the session (a header overwritten later cannot make
            // a live creator look dead): another opening sees the dead one.
            try (Session seen = Session.openReadOnly(session.file()))
            {
                assertFalse(seen.creator().isAlive());
                assertTrue(seen.isStale());
            }
            session.unlink();
        }
    }

    @Test
    void pidReusedByAnotherProcessIsNotAlive()
    {
        final ProcessIdentity self = ProcessIdentity.current();
        assertTrue(self.isAlive());
        assertFalse(new ProcessIdentity(self.pid(), self.startMillis() - 60_000).isAlive());
        assertFalse(new ProcessIdentity(0, 0).isAlive());
    }

    // ---- refusing bad files -------------------------------------------------------------------------------

    private Path validSessionFile()
    {
        final Session session = create();
        session.close();
        return session.file();
    }

    private static String refusal(final Path file)
    {
        return assertThrows(SessionFileException.class, () -> Session.attach(file)).getMessage();
    }

    @Test
    void missingFile()
    {
        assertTrue(refusal(dir.resolve("mp4j-1-00000000")).contains("does not exist"));
    }

    @Test
    void foreignFile() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("foreign"), "this is not a session file at all, no no");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertTrue(refusal(file).contains("is not an mp4j session file"), refusal(file));
    }

    @Test
    void emptyFile() throws Exception
    {
        final Path file = Files.createFile(dir.resolve("empty"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        assertTrue(refusal(file).contains("truncated"), refusal(file));
    }

    @Test
    void truncatedFile() throws Exception
    {
        final Path file = validSessionFile();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(raf.length() / 2);
        }
        final String message = refusal(file);
        assertTrue(message.contains("truncated") && message.contains(file.toString()), message);
    }

    @Test
    void truncatedInsideHeader() throws Exception
    {
        final Path file = validSessionFile();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(100);
        }
        assertTrue(refusal(file).contains("truncated"), refusal(file));
    }

    @Test
    void newerLayoutVersion() throws Exception
    {
        final Path file = validSessionFile();
        putInt(file, LAYOUT_VERSION_OFFSET, LAYOUT_VERSION + 1);
        final String message = refusal(file);
        assertTrue(message.contains("layout version " + (LAYOUT_VERSION + 1)) &&
            message.contains("reads version " + LAYOUT_VERSION), message);
    }

    @Test
    void corruptGeometry() throws Exception
    {
        final Path file = validSessionFile();
        putInt(file, PROCESS_SLOT_COUNT_OFFSET, 1_000_000);
        assertTrue(refusal(file).contains("corrupt"), refusal(file));
    }

    @Test
    void unfinishedFileWithoutMagic() throws Exception
    {
        final Path file = validSessionFile();
        putInt(file, MAGIC_OFFSET, 0);
        putInt(file, MAGIC_OFFSET + 4, 0);
        assertTrue(refusal(file).contains("no magic"), refusal(file));
    }

    @Test
    void directoryInPlaceOfFile() throws Exception
    {
        final Path file = Files.createDirectory(dir.resolve("mp4j-1-deadbeef"));
        assertTrue(refusal(file).contains("not a regular file"), refusal(file));
    }

    @Test
    void symlinkIsRefused() throws Exception
    {
        final Path target = validSessionFile();
        final Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertTrue(refusal(link).contains("symbolic link"), refusal(link));
    }

    @Test
    void widerPermissionsAreRefused() throws Exception
    {
        final Path file = validSessionFile();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(refusal(file).contains("rw-rw-rw-"), refusal(file));
    }

    @Test
    void badSessionNamesNeverBecomePaths()
    {
        assertThrows(SessionFileException.class, () -> SessionFiles.resolve(".."));
        assertThrows(SessionFileException.class, () -> SessionFiles.resolve("mp4j-1-xyz"));
        assertThrows(SessionFileException.class, () -> SessionFiles.resolve(""));
        assertEquals(SessionFiles.directory().resolve("mp4j-12-0123abcd"), SessionFiles.resolve("mp4j-12-0123abcd"));
    }

    @Test
    void badGeometryArgumentsAreRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> Session.create(dir, 1, 16, 65536));
        assertThrows(IllegalArgumentException.class, () -> Session.create(dir, 8, 0, 65536));
        assertThrows(IllegalArgumentException.class, () -> Session.create(dir, 8, 16, -1));
        assertThrows(IllegalArgumentException.class, () -> Session.create(dir, 8, 16, MAX_DATA_LENGTH + 1));
    }

    private static void putInt(final Path file, final int offset, final int value) throws Exception
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
            channel.write(bytes, offset);
        }
    }
}
