package mp4j.launcher;

import mp4j.util.ProcessIdentity;
import mp4j.process.WorkerCommand;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.session.StaleSessions;
import mp4j.sharedmemory.SharedMemoryNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CleanCommandTest
{
    @RegisterExtension
    final Holders holders = new Holders();

    @AfterEach
    void restoreDirectory()
    {
        System.clearProperty("mp4j.dir");
        System.clearProperty("mp4j.shm.dir");
    }

    @Test
    void removesStaleSessionsAndKeepsLiveOnes(@TempDir final Path dir) throws Exception
    {
        System.setProperty("mp4j.dir", dir.toString());
        final Session live = Session.create(dir, 4, 8, 4096);
        final Session stale = Session.create(dir, 4, 8, 4096);
        final java.lang.Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        stale.buffer().putLong(SessionLayout.CREATOR_PID_OFFSET, gone.pid());
        stale.processTable().setIdentity(0, new ProcessIdentity(gone.pid(), 0));
        stale.close();
        live.close();
        final Path foreign = Files.writeString(dir.resolve("mp4j-1-0badf00d"), "not a session");
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(foreign, FileTime.fromMillis(System.currentTimeMillis() - 60_000));

        final Cli dry = Cli.run("clean", "--dry-run");
        assertEquals(0, dry.exitCode(), dry.err());
        assertTrue(dry.out().contains("would remove " + stale.file()), dry.out());
        assertTrue(Files.exists(stale.file()));

        final Cli clean = Cli.run("clean");
        assertEquals(0, clean.exitCode(), clean.err());
        assertFalse(Files.exists(stale.file()), "stale session removed");
        assertTrue(Files.exists(live.file()), "live session kept");
        assertTrue(Files.exists(foreign), "foreign file kept without --all");

        final Cli all = Cli.run("clean", "--all");
        assertEquals(0, all.exitCode(), all.err());
        assertFalse(Files.exists(foreign), "--all removes unusable files named like sessions");
        assertTrue(Files.exists(live.file()), "live session kept");
        Files.delete(live.file());
    }

    @Test
    void removesTheUnfinishedFileOfACreatorKilledWhileWritingIt(@TempDir final Path dir) throws Exception
    {
        System.setProperty("mp4j.dir", dir.toString());
        final java.lang.Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        final Path unfinished = dir.resolve("mp4j-" + gone.pid() + "-0a0b0c0d");
        Files.write(unfinished, new byte[8192]); // created and sized, never stamped with the magic
        Files.setPosixFilePermissions(unfinished, PosixFilePermissions.fromString("rw-------"));

        final Cli clean = Cli.run("clean");
        assertEquals(0, clean.exitCode(), clean.err());
        assertFalse(Files.exists(unfinished), clean.out());
        assertTrue(clean.out().contains("unfinished session of pid " + gone.pid()), clean.out());
    }

    /** A valid session whose creator is gone and whose table has no live process: stale by its own word. */
    private static Path staleSession(final Path dir) throws Exception
    {
        final Session stale = Session.create(dir, 4, 8, 4096);
        final java.lang.Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        stale.buffer().putLong(SessionLayout.CREATOR_PID_OFFSET, gone.pid());
        stale.processTable().setIdentity(0, new ProcessIdentity(gone.pid(), 0));
        stale.close();
        return stale.file();
    }

    @Test
    void aStaleSessionThatALiveProcessStillMapsIsKept(@TempDir final Path dir) throws Exception
    {
        System.setProperty("mp4j.dir", dir.toString());
        final Path stale = staleSession(dir);
        final java.lang.Process mapper = holders.mapping(stale); // as a worker whose parent was killed maps it

        final Cli clean = Cli.run("clean");
        assertEquals(0, clean.exitCode(), clean.err());
        assertTrue(Files.exists(stale), "removed while mapped: " + clean.out());
        assertTrue(clean.out().contains("kept " + stale) && clean.out().contains("still in use by pid " +
            mapper.pid() + " (java)"), clean.out());
        StaleSessions.cleanQuietly();
        assertTrue(Files.exists(stale), "the sweep at a session's start removed it while mapped");

        Holders.kill(mapper);
        final Cli after = Cli.run("clean");
        assertFalse(Files.exists(stale), "unused now, it goes: " + after.out());
    }

    @Test
    void anUnfinishedSessionThatALiveProcessHoldsOpenIsKept(@TempDir final Path dir) throws Exception
    {
        System.setProperty("mp4j.dir", dir.toString());
        final java.lang.Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        final Path unfinished = dir.resolve("mp4j-" + gone.pid() + "-0a0b0c0e");
        Files.write(unfinished, new byte[8192]);
        Files.setPosixFilePermissions(unfinished, PosixFilePermissions.fromString("rw-------"));
        final java.lang.Process holder = holders.start(Holders.holdingOpen(unfinished));

        final Cli clean = Cli.run("clean", "--all");
        assertTrue(Files.exists(unfinished), "removed while open: " + clean.out());
        assertTrue(clean.out().contains("still in use by pid " + holder.pid()), clean.out());

        Holders.kill(holder);
        Cli.run("clean");
        assertFalse(Files.exists(unfinished));
    }

    @Test
    void aKilledSessionsBlockStillInUseKeepsItUntilItIsFree(@TempDir final Path dir) throws Exception
    {
        // sessions and blocks in a folder of the test's: not /dev/shm, where other programs may clean up
        System.setProperty("mp4j.dir", dir.toString());
        System.setProperty("mp4j.shm.dir", Files.createDirectory(dir.resolve("shm")).toString());
        final java.lang.Process creator = holders.start(List.of(WorkerCommand.javaBinary(),
            WorkerCommand.AGRONA_EXPORTS, "-XX:-UsePerfData", "-Dmp4j.dir=" + dir,
            "-Dmp4j.shm.dir=" + SharedMemoryNames.directory(), "-cp", WorkerCommand.classPath(),
            ManagerCreatorMain.class.getName(), "wait"));
        final String[] names = holders.firstLine(creator).split(" ");
        final Path session = dir.resolve(names[0]);
        final Path block = SharedMemoryNames.directory().resolve(names[1]);
        try
        {
            Holders.kill(creator); // SIGKILL: no exit hook, the session and its block stay behind
            final java.lang.Process user = holders.mapping(block); // someone attached to the block by name

            final Cli clean = Cli.run("clean");
            assertTrue(Files.exists(block), "unlinked while mapped: " + clean.out());
            assertTrue(Files.exists(session), "the session is the record of the block still to remove");
            assertTrue(clean.out().contains("its shared memory block " + names[1] + " (in use by pid " + user.pid()),
                clean.out());

            Holders.kill(user);
            final Cli after = Cli.run("clean");
            assertFalse(Files.exists(block), after.out());
            assertFalse(Files.exists(session), after.out());
            assertTrue(after.out().contains("unlinked shared memory block " + names[1]), after.out());
        }
        finally
        {
            Files.deleteIfExists(block);
        }
    }
}
