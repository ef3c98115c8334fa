package mp4j.launcher;

import mp4j.process.WorkerCommand;
import mp4j.session.SessionFiles;
import mp4j.session.StaleSessions;
import mp4j.sharedmemory.SharedMemoryNames;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A manager never closed leaves no block in /dev/shm: its session's end, or launcher clean, removes them. */
class ManagerCleanupTest
{
    private final List<java.lang.Process> jvms = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException, InterruptedException
    {
        for (final java.lang.Process jvm : jvms)
        {
            jvm.destroyForcibly();
            jvm.waitFor(30, TimeUnit.SECONDS);
        }
        for (final Path file : files)
        {
            Files.deleteIfExists(file); // only when the test failed
        }
    }

    private String[] start(final String mode) throws IOException
    {
        final java.lang.Process jvm = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS,
            "-cp", WorkerCommand.classPath(), DictManagerMain.class.getName(), mode)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        jvms.add(jvm);
        final String line = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        assertNotNull(line, "the manager's JVM printed nothing");
        final String[] names = line.split(" ");
        files.add(SessionFiles.directory().resolve(names[0]));
        for (final String block : Arrays.copyOfRange(names, 1, names.length))
        {
            files.add(SharedMemoryNames.directory().resolve(block));
        }
        return names;
    }

    @Test
    void theCreatorsExitRemovesTheBlocksOfAManagerNeverClosed() throws Exception
    {
        final String[] names = start("exit");
        assertTrue(names.length >= 3, "a dict with a 6 MiB value takes two blocks: " + Arrays.toString(names));
        assertTrue(jvms.get(0).waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, jvms.get(0).exitValue());
        for (final Path file : files)
        {
            assertFalse(Files.exists(file), file + " is left");
        }
    }

    @Test
    void launcherCleanRemovesTheBlocksOfAKilledSession() throws Exception
    {
        start("wait");
        for (final Path file : files)
        {
            assertTrue(Files.exists(file), file + " should be there while its session lives");
        }
        jvms.get(0).destroyForcibly(); // SIGKILL: no exit hook runs
        assertTrue(jvms.get(0).waitFor(30, TimeUnit.SECONDS));
        final long deadline = System.currentTimeMillis() + 30_000;
        while (Files.exists(files.get(0)))
        {
            StaleSessions.clean(false); // what launcher clean and every new session do
            assertTrue(System.currentTimeMillis() < deadline, "the killed session was not found stale in 30 s");
            Thread.sleep(20);
        }
        for (final Path file : files)
        {
            assertFalse(Files.exists(file), file + " is left");
        }
    }
}
