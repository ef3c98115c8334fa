package mp4j.launcher;

import mp4j.process.WorkerCommand;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A demo whose session file is truncated while its workers run (a full disk, a careless {@code truncate}): one clear
 * line and a non-zero exit, no stack traces, no crash report in the working folder, nothing left behind.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DamagedSessionCliTest
{
    @TempDir
    Path workingFolder;

    private java.lang.Process cli;
    private Path sessions;
    private Path sessionFile;
    private final List<Long> workers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception
    {
        if (cli != null)
        {
            cli.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (final long pid : workers)
        {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            final Path report = WorkerCommand.crashReport(pid); // a worker may die of the damage in a JVM crash
            if (report != null)
            {
                Files.deleteIfExists(report);
            }
        }
        if (sessionFile != null)
        {
            Files.deleteIfExists(sessionFile);
        }
    }

    @Test
    void lockValueWhoseSessionFileIsTruncatedSaysSoInOneLine() throws Exception
    {
        // its session in a folder of its own: the sweep any mp4j start runs over /dev/shm must not be what removes it
        sessions = Files.createDirectories(workingFolder.resolve("sessions"));
        cli = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS, "-Dmp4j.dir=" + sessions, "-cp",
            System.getProperty("java.class.path"), Launcher.class.getName(), "lock-value", "--procs", "3",
            "--increments", "1000000000")
            .directory(workingFolder.toFile())
            .redirectOutput(workingFolder.resolve("stdout.txt").toFile())
            .redirectError(workingFolder.resolve("stderr.txt").toFile())
            .start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (workers.size() < 3)
        {
            assertTrue(System.nanoTime() < deadline && cli.isAlive(), "the demo's workers never ran: " + stderr());
            Thread.sleep(10);
            findRunningWorkers();
        }
        try (RandomAccessFile file = new RandomAccessFile(sessionFile.toFile(), "rw"))
        {
            file.setLength(8192);
        }
        assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "the demo hung after its session file was truncated");
        assertEquals(1, cli.exitValue());
        final List<String> lines = stderr().lines().toList();
        assertEquals(1, lines.size(), "one line: " + stderr());
        assertTrue(lines.get(0).startsWith("error: session file " + sessionFile + " was truncated to 8192 bytes " +
            "while in use"), lines.get(0));
        for (final long pid : workers)
        {
            final long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                assertTrue(System.nanoTime() < gone, "worker " + pid + " outlived the demo");
                Thread.sleep(5);
            }
        }
        assertFalse(Files.exists(sessionFile), "session file " + sessionFile + " left behind");
        try (Stream<Path> files = Files.list(workingFolder))
        {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(),
                "JVM crash reports in the working folder");
        }
    }

    private void findRunningWorkers()
    {
        try (Stream<Path> files = Files.list(sessions))
        {
            sessionFile = files.filter(f -> f.getFileName().toString().startsWith("mp4j-" + cli.pid() + "-"))
                .findFirst().orElse(null);
        }
        catch (final java.io.IOException ex)
        {
            return;
        }
        if (sessionFile == null)
        {
            return;
        }
        try (Session session = Session.openReadOnly(sessionFile))
        {
            final List<Long> running = new ArrayList<>();
            for (int slot = 1; slot < session.processTable().slotCount(); slot++)
            {
                if (session.processTable().state(slot) == SessionLayout.SLOT_RUNNING)
                {
                    running.add(session.processTable().pid(slot));
                }
            }
            if (running.size() >= 3)
            {
                workers.addAll(running);
            }
        }
        catch (final RuntimeException ex)
        {
            // still being made
        }
    }

    private String stderr()
    {
        try
        {
            return Files.readString(workingFolder.resolve("stderr.txt"));
        }
        catch (final java.io.IOException ex)
        {
            return "(no stderr: " + ex + ")";
        }
    }
}
