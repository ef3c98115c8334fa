package mp4j.launcher;

import mp4j.process.ProcessIdentity;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.*;

class CleanCommandTest
{
    @AfterEach
    void restoreDirectory()
    {
        System.clearProperty("mp4j.dir");
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
}
