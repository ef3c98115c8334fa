package mp4j.session;

import mp4j.queues.Queue;
import mp4j.sharedctypes.Array;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A full {@code /dev/shm} (a 256 KiB tmpfs here): running out is an error where the memory is asked for, which says
 * how much is free and how much was needed, never a SIGBUS at the first touch of a page that does not fit.
 */
class NoSpaceTest
{
    private static final long TMPFS = 256 * 1024;

    @RegisterExtension
    final SmallTmpfs tmpfs = new SmallTmpfs(TMPFS);

    @Test
    void aSessionThatDoesNotFitIsRefusedWhenItIsCreated() throws Exception
    {
        // header + process table + a directory of 4096 entries: 532 KiB, more than there is
        final SessionFileException error = assertThrows(SessionFileException.class,
            () -> Session.create(tmpfs.dir(), 64, 4096, 1 << 20));
        assertTrue(error.getMessage().startsWith("no space left in " + tmpfs.dir() + " ("), error.getMessage());
        assertTrue(error.getMessage().matches(".*\\(\\d+ bytes free, \\d+ needed\\) for a new session.*"),
            error.getMessage());
        try (Stream<java.nio.file.Path> files = Files.list(tmpfs.dir()))
        {
            assertEquals(0, files.count(), "the refused session's file was left behind");
        }
    }

    @Test
    void sharedObjectsThatDoNotFitAreRefusedWhenAllocatedAndSmallerOnesStillFit() throws Exception
    {
        try (Session session = Session.create(tmpfs.dir(), 8, 64, 4 << 20))
        {
            final long free = tmpfs.free();
            final long tooBig = free + 64 * 1024;
            final SessionFileException error = assertThrows(SessionFileException.class, () -> session.allocate(tooBig));
            assertEquals("no space left in " + tmpfs.dir() + " (" + free + " bytes free, " + tooBig + " needed) " +
                "for " + tooBig + " bytes of shared objects; free some (see 'df -h " + tmpfs.dir() + "', and " +
                "'launcher clean' for files of dead sessions)", error.getMessage());
            // the refused bytes were given back, and what fits is usable, to the last byte
            final long offset = session.allocate(16 * 1024);
            assertEquals(session.dataOffset(), offset);
            session.buffer().setMemory((int)offset, 16 * 1024, (byte)7);
            assertEquals(7, session.buffer().getByte((int)offset + 16 * 1024 - 1));
            session.unlink();
        }
    }

    @Test
    void aLargeArrayOrAQueueThatDoesNotFitIsRefusedWhenItIsMade() throws Exception
    {
        try (Session session = Session.create(tmpfs.dir(), 8, 64, 4 << 20))
        {
            final SessionFileException array = assertThrows(SessionFileException.class,
                () -> Array.create(session, "big", 'd', 64 * 1024, true));
            assertTrue(array.getMessage().matches("no space left in " + tmpfs.dir() + " \\(\\d+ bytes free, \\d+ " +
                "needed\\) for an Array\\('d', 65536\\) \\(\\d+ bytes\\).*"), array.getMessage());
            final SessionFileException queue = assertThrows(SessionFileException.class,
                () -> Queue.create(session, "q", 0, 1 << 20));
            assertTrue(queue.getMessage().contains("for a queue's buffer"), queue.getMessage());
            final Array small = Array.create(session, "small", 'd', 1000, true);
            small.setDouble(999, 1.5);
            assertEquals(1.5, small.getDouble(999));
            session.unlink();
        }
    }

    @Test
    void aProcessTargetThatDoesNotFitIsRefusedBeforeTheWorkerStarts() throws Exception
    {
        try (Session session = Session.create(tmpfs.dir(), 8, 64, 4 << 20))
        {
            session.allocate(tmpfs.free() - 4096); // nearly full
            final int slot = session.processTable().claim(0, "p", "process", false);
            final SessionFileException error = assertThrows(SessionFileException.class,
                () -> session.reserve(session.payloadOffset(slot), 32 * 1024, "the target of a new process"));
            assertTrue(error.getMessage().startsWith("no space left in " + tmpfs.dir()), error.getMessage());
            session.unlink();
        }
    }
}
