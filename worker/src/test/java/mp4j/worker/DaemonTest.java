package mp4j.worker;

import mp4j.process.ProcessIdentity;
import mp4j.process.WorkerCommand;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Daemon semantics when the parent is killed with SIGKILL: the parent itself is a spawned JVM. */
class DaemonTest
{
    private final List<Long> pidsToKill = new ArrayList<>();
    private java.lang.Process parent;
    private Path sessionFile;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (parent != null)
        {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (final long pid : pidsToKill)
        {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (sessionFile != null)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pidsToKill.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            Files.deleteIfExists(sessionFile);
        }
    }

    @Test
    void daemonDiesWithinTwoHundredMillisOfParentKillAndNonDaemonFinishes(@TempDir final Path dir) throws Exception
    {
        final Path marker = dir.resolve("non-daemon-finished");
        parent = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS, "-cp",
            System.getProperty("java.class.path"), ParentMain.class.getName(), marker.toString(), "1500")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
            StandardCharsets.UTF_8));
        final String line = out.readLine();
        assertNotNull(line, "the parent JVM printed nothing");
        final String[] fields = line.split(" ");
        assertEquals("pids", fields[0], line);
        final long daemonPid = Long.parseLong(fields[1]);
        final long workerPid = Long.parseLong(fields[2]);
        sessionFile = Path.of(fields[3]);
        pidsToKill.add(daemonPid);
        pidsToKill.add(workerPid);
        final ProcessIdentity daemon = awaitRegistered(daemonPid);
        final ProcessIdentity worker = awaitRegistered(workerPid);

        parent.destroyForcibly();
        assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
        final long killedAt = System.nanoTime();
        while (daemon.isAlive())
        {
            assertTrue(System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(10), "daemon child never exited");
            Thread.onSpinWait();
        }
        final long daemonExitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertTrue(daemonExitMs <= 200, "daemon child took " + daemonExitMs + " ms to exit after its parent's SIGKILL");

        assertTrue(worker.isAlive(), "the non-daemon child must outlive its killed parent");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (worker.isAlive() && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertFalse(worker.isAlive(), "non-daemon child did not finish");
        assertEquals("done", Files.readString(marker), "non-daemon child ran to completion");
        // The last process of a session whose creator was killed removes the session file.
        final long fileDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.exists(sessionFile) && System.nanoTime() < fileDeadline)
        {
            Thread.sleep(5);
        }
        assertFalse(Files.exists(sessionFile), "session file " + sessionFile + " leaked");
    }

    /** Waits until the pid's worker is RUNNING in the parent's session; returns its identity. */
    private ProcessIdentity awaitRegistered(final long pid) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline)
        {
            try (Session session = Session.openReadOnly(sessionFile))
            {
                for (int slot = 1; slot < session.processTable().slotCount(); slot++)
                {
                    if (session.processTable().pid(slot) == pid &&
                        session.processTable().state(slot) == SessionLayout.SLOT_RUNNING)
                    {
                        return session.processTable().identity(slot);
                    }
                }
            }
            Thread.sleep(5);
        }
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        fail("worker " + pid + " never registered (alive: " + handle.map(ProcessHandle::isAlive).orElse(false) + ")");
        return null;
    }
}
