package mp4j.process;

import mp4j.util.ProcessIdentity;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.session.StaleSessions;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Daemon semantics when the parent is killed with SIGKILL: the parent itself is a spawned JVM.
 * <p>
 * What must always hold is asserted: every daemon goes (within {@link #NO_HANG}, a bound no machine misses unless
 * a daemon would never have gone), no orphan remains, the session file goes. How soon they go (the 200 ms target)
 * is a figure, printed here and measured as a distribution by scripts/chaos: on a busy two-core machine, and on
 * JDK 21+ whose exit first starts System.Logger (docs/reliability.md), a daemon can take longer, and a timed
 * assertion would fail the build for the machine's load, not for a fault of mp4j (issue 18).
 */
class DaemonTest
{
    /** Longer than any daemon takes to go on the busiest machine; shorter than waiting for one that never goes. */
    private static final long NO_HANG = TimeUnit.SECONDS.toNanos(10);

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
    void aDaemonGoesWithItsKilledParentAndANonDaemonFinishes(@TempDir final Path dir) throws Exception
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
        assertAllGo(List.of(daemon), System.nanoTime());

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

    @Test
    void daemonsStillBootingDieWithTheirKilledParent() throws Exception
    {
        assumeTrue(ParentDeathSignal.available(), "skipped: needs util-linux's setpriv with --pdeathsig; without it " +
            "a daemon notices its parent's death once it has booted, which the other tests cover");
        final List<ProcessIdentity> daemons = startDaemonsParent(3);
        parent.destroyForcibly(); // at once: the daemons' JVMs are still booting, no code of ours runs in them yet
        assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
        assertAllGo(daemons, System.nanoTime());
        // None of them ran any code of ours, so none could remove the session file: the next session's sweep does.
        StaleSessions.clean(false);
        assertFalse(Files.exists(sessionFile), "the sweep left " + sessionFile);
    }

    @Test
    void daemonsOfAKilledParentRemoveTheSessionFile() throws Exception
    {
        final List<ProcessIdentity> daemons = startDaemonsParent(3);
        for (final ProcessIdentity daemon : daemons)
        {
            awaitRegistered(daemon.pid());
        }
        parent.destroyForcibly();
        assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
        assertAllGo(daemons, System.nanoTime());
        // They all exit at once; the last one out removes the file, with no sweep and no non-daemon to do it.
        final long fileDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.exists(sessionFile) && System.nanoTime() < fileDeadline)
        {
            Thread.sleep(5);
        }
        assertFalse(Files.exists(sessionFile), "session file " + sessionFile + " leaked");
    }

    /** Starts a parent JVM with {@code count} daemon children; returns them, perhaps still booting. */
    private List<ProcessIdentity> startDaemonsParent(final int count) throws Exception
    {
        parent = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS, "-cp",
            System.getProperty("java.class.path"), DaemonsParentMain.class.getName(), Integer.toString(count))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final String line = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        assertNotNull(line, "the parent JVM printed nothing");
        final String[] fields = line.split(" ");
        assertEquals("pids", fields[0], line);
        assertEquals(count + 2, fields.length, line);
        sessionFile = Path.of(fields[count + 1]);
        final List<ProcessIdentity> daemons = new ArrayList<>();
        for (int i = 1; i <= count; i++)
        {
            final long pid = Long.parseLong(fields[i]);
            pidsToKill.add(pid);
            daemons.add(ProcessHandle.of(pid).map(ProcessIdentity::of).orElse(new ProcessIdentity(pid, 0)));
        }
        return daemons;
    }

    /** Every daemon goes after its parent died at {@code since}: none is left running (an orphan). */
    private static void assertAllGo(final List<ProcessIdentity> daemons, final long since)
        throws InterruptedException
    {
        for (final ProcessIdentity daemon : daemons)
        {
            while (daemon.isAlive())
            {
                if (System.nanoTime() - since > NO_HANG)
                {
                    fail("daemon " + daemon.pid() + " is an orphan: it still runs " +
                        TimeUnit.NANOSECONDS.toSeconds(NO_HANG) + " s after its parent died");
                }
                Thread.sleep(1); // not a spin: the test must not take a core from the processes it times
            }
        }
        // a figure, not an assertion (see the class comment); scripts/chaos reports its distribution
        System.out.println("DaemonTest: " + daemons.size() + " daemon(s) gone " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) + " ms after their parent (target 200 ms)");
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
