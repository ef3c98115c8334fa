package mp4j.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A parent killed while its workers are still booting, before any of them ran code of ours: no file may outlive
 * every process of its session, and no sweep is needed for that (none runs here).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KilledWhileBootingTest
{
    private final List<Long> pids = new ArrayList<>();
    private java.lang.Process parent;
    private Path sessionFile;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (parent != null)
        {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        if (sessionFile != null)
        {
            Files.deleteIfExists(sessionFile);
        }
    }

    @Test
    void theFileOfAParentKilledWhileAllItsDaemonsBootGoesWithThem() throws Exception
    {
        final String[] fields = startParent(DaemonsParentMain.class.getName(), "3");
        sessionFile = Path.of(fields[4]);
        // Its janitor starts beside the first worker, in a few ms (a parent killed before that leaves the file to
        // the sweep, by design): this kills it once the janitor is there, while the daemons' JVMs still boot.
        awaitGone("the parent's janitor not started", () -> parent.toHandle().children()
            .anyMatch(child -> child.info().commandLine().orElse("").contains("mp4j-janitor")));
        parent.destroyForcibly();
        assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
        awaitGone("the daemons", () -> pids.stream().noneMatch(KilledWhileBootingTest::alive));
        awaitGone("session file " + sessionFile, () -> !Files.exists(sessionFile));
    }

    @Test
    void aNonDaemonStillBootingWhenItsParentIsKilledStillFindsItsSessionAndRunsToTheEnd(@TempDir final Path dir)
        throws Exception
    {
        final Path marker = dir.resolve("non-daemon-finished");
        final String[] fields = startParent(ParentMain.class.getName(), marker.toString(), "1500");
        sessionFile = Path.of(fields[3]);
        parent.destroyForcibly(); // the non-daemon attaches after its parent's death, whoever cleans up meanwhile
        assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
        awaitGone("the children", () -> pids.stream().noneMatch(KilledWhileBootingTest::alive));
        assertEquals("done", Files.readString(marker), "the non-daemon child ran its target to the end");
        awaitGone("session file " + sessionFile, () -> !Files.exists(sessionFile));
    }

    /**
     * Sessions of their own folder: what removes the file must be the session's own processes, not the sweep that
     * any mp4j start on the machine runs over {@code /dev/shm}.
     */
    @TempDir
    Path sessions;

    private String[] startParent(final String main, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS,
            "-Dmp4j.dir=" + sessions, "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        parent = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String line = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        assertNotNull(line, "the parent JVM printed nothing");
        final String[] fields = line.split(" ");
        assertEquals("pids", fields[0], line);
        for (int i = 1; i < fields.length - 1; i++)
        {
            pids.add(Long.parseLong(fields[i]));
        }
        return fields;
    }

    private static boolean alive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private interface Condition
    {
        boolean holds();
    }

    private static void awaitGone(final String what, final Condition gone) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!gone.holds())
        {
            assertTrue(System.nanoTime() < deadline, what + " still there 30 s after the parent was killed");
            Thread.sleep(10);
        }
    }
}
