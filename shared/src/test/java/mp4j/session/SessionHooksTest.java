package mp4j.session;

import mp4j.process.Reservoir;
import mp4j.sharedmemory.SharedMemoryRecords;
import mp4j.util.ProcessIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The session calls the floors above it only through the hooks it finds ({@link SessionHook}), and the one sweep of
 * a file, which the janitor uses, removes what all three removers remove: leftovers, the file, its side files.
 */
class SessionHooksTest
{
    @Test
    void findsTheHooksOfTheFloorsAbove()
    {
        assertTrue(SessionHooks.all().stream().anyMatch(SharedMemoryRecords.Leftovers.class::isInstance),
            "the shared memory blocks' hook: " + SessionHooks.all());
        assertTrue(SessionHooks.all().stream().anyMatch(Reservoir.OnSessionStart.class::isInstance),
            "the reservoir's hook: " + SessionHooks.all());
        assertSame(SessionHooks.all(), SessionHooks.all(), "found once");
    }

    @Test
    void theSweepOfOneFileRemovesAStaleSessionWithItsSideFilesAndKeepsALiveOne(@TempDir final Path dir)
        throws Exception
    {
        final Path liveFile;
        final Path liveSide;
        try (Session live = Session.create(dir, 4, 8, 4096))
        {
            liveFile = live.file();
            liveSide = Files.write(live.sideFile("spill-1"), new byte[16]);
        }
        final Path staleFile;
        final Path staleSide;
        try (Session stale = Session.create(dir, 4, 8, 4096))
        {
            final java.lang.Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            stale.buffer().putLong(SessionLayout.CREATOR_PID_OFFSET, gone.pid());
            stale.processTable().setIdentity(0, new ProcessIdentity(gone.pid(), 0));
            staleFile = stale.file();
            staleSide = Files.write(stale.sideFile("spill-1"), new byte[16]);
        }
        try
        {
            assertNull(StaleSessions.removeIfStale(liveFile), "its creator, this JVM, lives");
            assertTrue(Files.exists(liveFile) && Files.exists(liveSide));

            final StaleSessions.Removed removed = StaleSessions.removeIfStale(staleFile);
            assertNotNull(removed, "creator gone, nobody in its table");
            assertEquals(staleFile, removed.file());
            assertFalse(Files.exists(staleFile), "the file");
            assertFalse(Files.exists(staleSide), "its side file (a queue's spill segment)");
            assertNull(StaleSessions.removeIfStale(staleFile), "gone already");
        }
        finally
        {
            Files.deleteIfExists(liveFile);
            SessionFiles.deleteSideFiles(liveFile);
            Files.deleteIfExists(staleFile);
            SessionFiles.deleteSideFiles(staleFile);
        }
    }
}
