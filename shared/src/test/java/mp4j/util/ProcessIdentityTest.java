package mp4j.util;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cheap liveness check ({@code /proc/<pid>/stat}, one read) gives the JDK's answers: the same start times as
 * {@link ProcessHandle.Info#startInstant()}, a reused pid (another start time) dead, a zombie dead, a reaped process
 * dead; and {@link ProcessIdentity#isAliveByHandle()}, the JDK's way, agrees with it on each.
 */
class ProcessIdentityTest
{
    private final List<java.lang.Process> started = new ArrayList<>();

    @AfterEach
    void killStarted() throws InterruptedException
    {
        for (final java.lang.Process process : started)
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void readsProcOnLinuxAndGivesTheJdksStartTimes() throws Exception
    {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
        assertTrue(ProcessIdentity.readsProc(), "this JDK's start times are boot time + ticks / 100, as computed here");
        final ProcessHandle self = ProcessHandle.current();
        assertEquals(ProcessIdentity.startMillisByHandle(self), ProcessIdentity.current().startMillis());
        final java.lang.Process child = start("sleep", "30");
        final ProcessIdentity identity = ProcessIdentity.of(child.toHandle());
        assertEquals(ProcessIdentity.startMillisByHandle(child.toHandle()), identity.startMillis());
        assertTrue(identity.startMillis() > 0);
    }

    @Test
    void aLiveProcessIsAliveAndAReusedPidIsNot() throws Exception
    {
        final java.lang.Process child = start("sleep", "30");
        final ProcessIdentity identity = ProcessIdentity.of(child.toHandle());
        for (final ProcessIdentity alive : List.of(ProcessIdentity.current(), identity,
            new ProcessIdentity(identity.pid(), 0)))
        {
            assertTrue(alive.isAlive(), alive.toString());
            assertTrue(alive.isAliveByHandle(), alive.toString());
        }
        // The same pid, started at another time: what a pid reused by an unrelated process looks like.
        for (final long off : new long[] {-60_000, -1_000, -30, 30, 1_000})
        {
            final ProcessIdentity other = new ProcessIdentity(identity.pid(), identity.startMillis() + off);
            assertFalse(other.isAlive(), other + " is another process than " + identity);
            assertFalse(other.isAliveByHandle(), other.toString());
        }
        assertFalse(new ProcessIdentity(0, 0).isAlive());
        assertFalse(new ProcessIdentity(-1, 0).isAlive());
    }

    @Test
    void aReapedProcessIsDead() throws Exception
    {
        final java.lang.Process child = start("true");
        final ProcessIdentity identity = ProcessIdentity.of(child.toHandle());
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        child.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(identity.isAlive());
        assertFalse(identity.isAliveByHandle());
    }

    @Test
    void aZombieIsDead() throws Exception
    {
        assumeTrue(ProcessIdentity.readsProc(), "needs /proc");
        // The shell's background child exits; the shell becomes a sleep, which never reaps it: a zombie for 30 s.
        final java.lang.Process parent = start("/bin/sh", "-c", "sleep 0 & echo $!; exec sleep 30");
        final long zombie;
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.US_ASCII)))
        {
            zombie = Long.parseLong(out.readLine().trim());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ProcessIdentity.ProcStat stat = ProcessIdentity.ProcStat.read(zombie);
        while (stat != null && !stat.isZombie() && System.nanoTime() < deadline)
        {
            Thread.sleep(5); // sleep 0 exits within ms; nothing to wait on but its state
            stat = ProcessIdentity.ProcStat.read(zombie);
        }
        assertNotNull(stat, "the zombie's pid " + zombie + " is there until its parent ends");
        assertTrue(stat.isZombie(), "state " + stat.state());
        final ProcessIdentity identity = new ProcessIdentity(zombie, 0);
        assertFalse(identity.isAlive());
        assertFalse(identity.isAliveByHandle());
    }

    @Test
    void parsesACommandNameWithSpacesAndParentheses()
    {
        final String line = "4242 (a) b ) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 " +
            "1000 50 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
        final byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        final ProcessIdentity.ProcStat stat = ProcessIdentity.ProcStat.parse(bytes, bytes.length);
        assertNotNull(stat);
        assertEquals('S', stat.state());
        assertEquals(987654, stat.startTicks());
        assertEquals(1_000_000 + 9_876_540, stat.startMillis(1_000_000));
        assertNull(ProcessIdentity.ProcStat.parse(bytes, 30), "cut short before field 22");
        final byte[] garbage = "no parenthesis here".getBytes(StandardCharsets.US_ASCII);
        assertNull(ProcessIdentity.ProcStat.parse(garbage, garbage.length));
    }

    private java.lang.Process start(final String... command) throws Exception
    {
        final java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(process);
        return process;
    }
}
