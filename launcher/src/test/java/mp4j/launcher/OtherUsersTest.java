package mp4j.launcher;

import mp4j.process.WorkerCommand;
import mp4j.session.SessionFiles;
import mp4j.session.StaleSessions;
import mp4j.sharedmemory.AttachOption;
import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryException;
import mp4j.sharedmemory.SharedMemoryNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What mp4j does to another user's files: nothing, unless root asks for it by name, and never to a file in use.
 * Runs as root with a second user made for the purpose ({@link OtherUser}); skipped, saying so, otherwise.
 */
class OtherUsersTest
{
    @RegisterExtension
    static final OtherUser OTHER = new OtherUser();

    @RegisterExtension
    final Holders holders = new Holders();

    private final List<Path> made = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void sessionsAndBlocksInATemporaryFolder() throws Exception
    {
        // not /dev/shm: what other programs do there (a cleanup of every psm_ file, say) is not this test's
        System.setProperty("mp4j.dir", dir.toString());
        System.setProperty("mp4j.shm.dir", Files.createDirectory(dir.resolve("shm")).toString());
        // the other user's processes reach files in it by name, and list the blocks, as in /dev/shm
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        // drwxrwxrwt, as /dev/shm: anyone may make a file there, and remove only their own (Java cannot set 't')
        assertEquals(0,
            new ProcessBuilder("chmod", "1777", SharedMemoryNames.directory().toString()).start().waitFor());
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        System.clearProperty("mp4j.dir");
        System.clearProperty("mp4j.shm.dir");
        for (final Path file : made)
        {
            Files.deleteIfExists(file);
        }
    }

    /** A file named like a session of a pid that is gone, old enough to be judged, given to the other user. */
    private Path othersDeadSession() throws Exception
    {
        final java.lang.Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        final Path file = dir.resolve("mp4j-" + gone.pid() + "-0d0e0a0d");
        Files.write(file, new byte[8192]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        OTHER.chown(file);
        made.add(file);
        return file;
    }

    private String blockName()
    {
        final String name = "psm_o" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        made.add(SharedMemoryNames.directory().resolve(name));
        return name;
    }

    @Test
    void sweepsLeaveAnotherUsersSessionAloneAndRootRemovesItOnlyWhenAsked() throws Exception
    {
        final Path file = othersDeadSession();

        StaleSessions.cleanQuietly(); // the sweep of every session's start
        assertTrue(Files.exists(file), "a sweep removed another user's file");
        final Cli start = Cli.run("--version"); // the launcher's start sweeps too
        assertEquals(0, start.exitCode(), start.err());
        assertTrue(Files.exists(file), "the launcher's start removed another user's file");

        final Cli all = Cli.run("clean", "--all");
        assertEquals(0, all.exitCode(), all.err());
        assertTrue(Files.exists(file), "'clean --all' removed another user's file: " + all.out());
        assertTrue(all.out().contains("kept " + file + " (owner " + OtherUser.NAME + ")") &&
            all.out().contains("--other-users"), "root is told what it would remove and how: " + all.out());

        final Cli dry = Cli.run("clean", "--other-users", "--dry-run");
        assertEquals(0, dry.exitCode(), dry.err());
        assertTrue(dry.out().contains("would remove " + file), dry.out());
        assertTrue(Files.exists(file));

        final Cli asked = Cli.run("clean", "--other-users");
        assertEquals(0, asked.exitCode(), asked.err());
        assertFalse(Files.exists(file), asked.out());
        assertTrue(asked.out().contains("removed " + file), asked.out());
    }

    @Test
    void evenWhenAskedRootKeepsAnotherUsersSessionThatAProcessHoldsOpen() throws Exception
    {
        final Path file = othersDeadSession();
        final java.lang.Process holder = holders.start(OTHER.as(Holders.holdingOpen(file)));

        final Cli asked = Cli.run("clean", "--all", "--other-users");
        assertEquals(0, asked.exitCode(), asked.err());
        assertTrue(Files.exists(file), "removed while another user's process holds it: " + asked.out());
        assertTrue(asked.out().contains("still in use by pid " + holder.pid()), asked.out());

        Holders.kill(holder);
        final Cli after = Cli.run("clean", "--all", "--other-users");
        assertFalse(Files.exists(file), after.out());
    }

    @Test
    void attachRefusesAnotherUsersBlockUnlessSharedOnPurpose() throws Exception
    {
        final String name = blockName();
        try (SharedMemory shm = SharedMemory.create(name, 4096))
        {
            shm.buf().putInt(0, 42);
            OTHER.chown(shm.path());
            final SharedMemoryException refused =
                assertThrows(SharedMemoryException.class, () -> SharedMemory.attach(name));
            assertTrue(refused.getMessage().contains("belongs to " + OtherUser.NAME) &&
                refused.getMessage().contains("AttachOption.OTHER_USERS"), refused.getMessage());
            try (SharedMemory shared = SharedMemory.attach(name, AttachOption.OTHER_USERS))
            {
                assertEquals(42, shared.buf().getInt(0));
            }
        }
    }

    @Test
    void shmCommandsOnABlockTheUserMayNotReadSayPermissionDenied() throws Exception
    {
        final String name = blockName();
        try (SharedMemory shm = SharedMemory.create(name, 4096)) // root's, mode 0600
        {
            final OtherUser.Result dump = OTHER.runAs(OTHER.launcher("shm", "dump", name));
            assertEquals(1, dump.exitCode(), dump.output());
            assertTrue(dump.output().contains("permission denied") && dump.output().contains("owner root") &&
                dump.output().contains("run the command as root"), dump.output());
            assertFalse(dump.output().contains("\tat "), "no stack trace: " + dump.output());

            final OtherUser.Result unlink = OTHER.runAs(OTHER.launcher("shm", "unlink", name));
            assertEquals(1, unlink.exitCode(), unlink.output());
            assertTrue(unlink.output().contains("permission denied"), unlink.output());
            assertTrue(Files.exists(shm.path()));

            final OtherUser.Result list = OTHER.runAs(OTHER.launcher("shm", "list"));
            assertEquals(0, list.exitCode(), list.output());
            assertTrue(list.output().lines().anyMatch(l -> l.startsWith(name) && l.contains("permission denied")),
                list.output());
            shm.unlink();
        }
    }

    @Test
    void theSweepOfAKilledSessionLeavesItsBlockThatAnotherUserOwns() throws Exception
    {
        final java.lang.Process creator = holders.start(List.of(WorkerCommand.javaBinary(),
            WorkerCommand.AGRONA_EXPORTS, "-XX:-UsePerfData", "-Dmp4j.dir=" + dir,
            "-Dmp4j.shm.dir=" + SharedMemoryNames.directory(), "-cp", WorkerCommand.classPath(),
            ManagerCreatorMain.class.getName(), "wait"));
        final String[] names = holders.firstLine(creator).split(" ");
        made.add(SharedMemoryNames.directory().resolve(names[1]));
        Holders.kill(creator); // SIGKILL: its session and block stay behind
        final Path session = SessionFiles.directory().resolve(names[0]);
        final Path block = SharedMemoryNames.directory().resolve(names[1]);
        made.add(session);
        OTHER.chown(block); // as if another user had put a file of theirs under that name

        final List<StaleSessions.Removed> removed = StaleSessions.clean(false);
        assertFalse(Files.exists(session), "the stale session goes: " + removed);
        assertTrue(Files.exists(block), "but not another user's block: " + removed);
        assertTrue(removed.stream().anyMatch(r -> r.reason().contains(names[1] + " (it belongs to " +
            OtherUser.NAME + ")")), removed.toString());
    }
}
