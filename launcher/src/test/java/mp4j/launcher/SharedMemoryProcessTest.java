package mp4j.launcher;

import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.process.WorkerCommand;
import mp4j.session.Session;
import mp4j.session.SessionFiles;
import mp4j.session.StaleSessions;
import mp4j.sharedmemory.ShareableList;
import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryDescriber;
import mp4j.sharedmemory.SharedMemoryManager;
import mp4j.sharedmemory.SharedMemoryNames;
import mp4j.sharedmemory.SharedMemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Java processes sharing blocks, lists and managers; cleanup when the process holding them dies. */
class SharedMemoryProcessTest
{
    private final List<String> names = new ArrayList<>();
    private final List<java.lang.Process> jvms = new ArrayList<>();

    private String name()
    {
        final String name = "psm_j" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        names.add(name);
        return name;
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        for (final java.lang.Process jvm : jvms)
        {
            jvm.destroyForcibly();
        }
        for (final String name : names)
        {
            Files.deleteIfExists(SharedMemoryNames.directory().resolve(name));
        }
    }

    @Test
    void aWorkerWritesIntoABlockPassedToIt() throws Exception
    {
        try (SharedMemory shm = SharedMemory.create(name(), 1 << 20))
        {
            final Process p = new Process((Target)args ->
            {
                final SharedMemory block = (SharedMemory)args[0];
                final byte[] bytes = new byte[block.buf().capacity()];
                Arrays.fill(bytes, (byte)5);
                block.write(0, bytes);
                block.buf().putLong(8, 42);
                block.close();
            }, shm).start();
            p.join();
            assertEquals(0, p.exitCode());
            assertEquals(42, shm.buf().getLong(8));
            assertEquals(5, shm.buf().getByte((1 << 20) - 1));
            shm.unlink();
        }
    }

    @Test
    void aBlockMadeByAWorkerIsAttachedByName() throws Exception
    {
        final String name = name();
        final Process p = new Process((Target)args ->
        {
            final SharedMemory block = SharedMemory.create((String)args[0], 100);
            block.buf().putInt(96, 77);
            block.close(); // not unlinked: the block outlives its creator
        }, name).start();
        p.join();
        assertEquals(0, p.exitCode());
        try (SharedMemory shm = SharedMemory.attach(name))
        {
            assertEquals(100, shm.size());
            assertEquals(77, shm.buf().getInt(96));
            shm.unlink();
        }
    }

    @Test
    void aListIsSharedWithAWorker() throws Exception
    {
        try (ShareableList list = ShareableList.create(name(), Arrays.asList(1L, "abc", null)))
        {
            final Process p = new Process((Target)args ->
            {
                final ShareableList shared = (ShareableList)args[0];
                shared.set(0, (Long)shared.get(0) + 1);
                shared.set(1, "xyz!");
                shared.set(2, true);
                shared.close();
            }, list).start();
            p.join();
            assertEquals(0, p.exitCode());
            assertEquals(Arrays.asList(2L, "xyz!", true), list.toList());
            list.unlink();
        }
    }

    @Test
    void aManagerUnlinksTheBlocksItsWorkersMadeEvenAfterTheyDie() throws Exception
    {
        try (SharedMemoryManager manager = new SharedMemoryManager();
            ShareableList result = ShareableList.create(name(), Arrays.asList("x".repeat(40), "x".repeat(40))))
        {
            final SharedMemory own = manager.sharedMemory(64);
            final Process p = new Process((Target)args ->
            {
                final SharedMemoryManager m = (SharedMemoryManager)args[0];
                final ShareableList out = (ShareableList)args[1];
                out.set(0, m.sharedMemory(128).name());
                out.set(1, m.shareableList(List.of(7L, "seven")).name());
                Thread.sleep(60_000); // killed by the test: its blocks stay the manager's to unlink
            }, manager, result).start();
            try
            {
                awaitSet(result, 1, p);
            }
            finally
            {
                p.kill();
                p.join();
            }
            final String block = result.getString(0);
            final String list = result.getString(1);
            assertTrue(Files.exists(SharedMemoryNames.directory().resolve(block)));
            try (ShareableList fromWorker = ShareableList.attach(list))
            {
                assertEquals(List.of(7L, "seven"), fromWorker.toList());
            }
            assertEquals(List.of(own.name(), block, list), manager.blocks());
            manager.close();
            assertTrue(manager.isClosed());
            assertFalse(Files.exists(own.path()));
            assertFalse(Files.exists(SharedMemoryNames.directory().resolve(block)));
            assertFalse(Files.exists(SharedMemoryNames.directory().resolve(list)));
            assertEquals(List.of(), manager.blocks());
            own.buf().putInt(0, 1); // still mapped here after the unlink, as in CPython
            own.close();
            assertThrows(IllegalStateException.class, () -> manager.sharedMemory(10));
            result.unlink();
        }
    }

    private static void awaitSet(final ShareableList list, final int index, final Process p) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        while (list.getString(index).startsWith("xxx"))
        {
            assertTrue(p.isAlive(), "the worker died early: exit code " + p.exitCode());
            assertTrue(System.currentTimeMillis() < deadline, "the worker did not make its blocks in 30 s");
            Thread.sleep(10);
        }
    }

    @Test
    void theCreatorsExitUnlinksBlocksOfAManagerNeverClosed() throws Exception
    {
        final java.lang.Process creator = startCreator("exit");
        final String[] names = firstLine(creator).split(" ");
        final String block = names[1];
        this.names.add(block);
        assertTrue(creator.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, creator.exitValue());
        assertFalse(Files.exists(SharedMemoryNames.directory().resolve(block)), "the exit hook unlinked " + block);
        assertFalse(Files.exists(SessionFiles.directory().resolve(names[0])), "and removed the session");
    }

    @Test
    void launcherCleanUnlinksBlocksOfAKilledSession() throws Exception
    {
        final java.lang.Process creator = startCreator("wait");
        final String[] names = firstLine(creator).split(" ");
        final Path session = SessionFiles.directory().resolve(names[0]);
        final Path block = SharedMemoryNames.directory().resolve(names[1]);
        this.names.add(names[1]);
        try (SharedMemory shm = SharedMemory.attach(names[1]))
        {
            assertEquals(1234, shm.buf().getInt(0));
        }
        creator.destroyForcibly(); // SIGKILL: no exit hook runs
        assertTrue(creator.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(block), "a killed creator cannot clean up itself");
        assertTrue(Files.exists(session));
        final List<StaleSessions.Removed> removed = awaitClean(session);
        assertFalse(Files.exists(block));
        assertFalse(Files.exists(session));
        assertTrue(removed.stream().anyMatch(r -> r.file().equals(session) && r.reason().contains(names[1])),
            removed.toString());
    }

    private static List<StaleSessions.Removed> awaitClean(final Path session) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 30_000;
        final List<StaleSessions.Removed> removed = new ArrayList<>();
        while (Files.exists(session))
        {
            removed.addAll(StaleSessions.clean(false)); // the killed JVM's pid may take a moment to be reaped
            assertTrue(System.currentTimeMillis() < deadline, "the killed session was not found stale in 30 s");
            Thread.sleep(20);
        }
        return removed;
    }

    private java.lang.Process startCreator(final String mode) throws IOException
    {
        final java.lang.Process jvm = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS,
            "-cp", WorkerCommand.classPath(), ManagerCreatorMain.class.getName(), mode)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        jvms.add(jvm);
        return jvm;
    }

    private static String firstLine(final java.lang.Process jvm) throws IOException
    {
        final BufferedReader reader = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        final String line = reader.readLine();
        assertNotNull(line, "the creator JVM printed nothing");
        return line;
    }

    @Test
    void theInspectorDescribesManagersAndTheirBlocks()
    {
        try (SharedMemoryManager manager = new SharedMemoryManager())
        {
            final SharedMemory shm = manager.sharedMemory(4096);
            final var entry = Session.current().directory().find(shm.name());
            assertNotNull(entry);
            final var details = new java.util.LinkedHashMap<String, Object>();
            SharedMemoryDescriber.describe(Session.current(), entry, details);
            assertEquals("block", details.get("role"));
            assertEquals("live", details.get("state"));
            assertEquals(4096L, details.get("size"));
            assertEquals(true, details.get("exists"));
            assertEquals("bytes", details.get("holds"));
            shm.close();
            manager.close();
            final var after = new java.util.LinkedHashMap<String, Object>();
            SharedMemoryDescriber.describe(Session.current(), entry, after);
            assertEquals("unlinked", after.get("state"));
            assertEquals(false, after.get("exists"));
        }
    }
}
