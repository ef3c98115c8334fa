package mp4j.process;

import mp4j.session.ProcessTable;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import mp4j.testing.StartedProcesses;
import mp4j.testing.Targets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Python's Process semantics across real worker JVMs. */
class ProcessTest
{
    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    private Process track(final Process process)
    {
        return started.track(process);
    }

    @Test
    void lambdaTargetRunsWithArgsAndExitsZero(@TempDir final Path dir) throws Exception
    {
        final Path out = dir.resolve("out.txt");
        final String file = out.toString();
        final Process p = track(new Process(args -> Files.writeString(Path.of(file), "hello " + args[0]), "bob"));
        assertNull(p.exitCode(), "no exit code before start");
        p.start();
        assertTrue(p.pid() > 0);
        p.join();
        assertEquals(0, p.exitCode());
        assertFalse(p.isAlive());
        assertEquals("hello bob", Files.readString(out));
    }

    @Test
    void classTargetAndCurrentProcess(@TempDir final Path dir) throws Exception
    {
        final Path out = dir.resolve("who.txt");
        final Process p = track(new Process(Targets.WhoAmI.class, out.toString()).name("worker-7"));
        p.start();
        p.join();
        assertEquals(0, p.exitCode());
        assertEquals("worker-7 " + p.pid() + " false", Files.readString(out));
    }

    @Test
    void exitCodesAsPython() throws Exception
    {
        final Process exit3 = track(new Process(Targets.ExitWith.class, 3)).start();
        final Process fails = track(new Process(Targets.Fail.class)).start();
        exit3.join();
        fails.join();
        assertEquals(3, exit3.exitCode());
        assertEquals(1, fails.exitCode(), "a target that throws exits with 1, as Python's");
    }

    @Test
    void terminateGivesMinus15AndKillMinus9() throws Exception
    {
        final Process terminated = track(new Process(Targets.Sleep.class, 60_000L)).start();
        final Process killed = track(new Process(Targets.Sleep.class, 60_000L)).start();
        awaitRunning(terminated);
        awaitRunning(killed);
        assertNull(terminated.exitCode(), "null while running");
        assertTrue(terminated.isAlive());
        terminated.terminate();
        killed.kill();
        assertTrue(terminated.join(10_000));
        assertTrue(killed.join(10_000));
        assertEquals(-15, terminated.exitCode());
        assertEquals(-9, killed.exitCode());
    }

    @Test
    void joinWithTimeoutReturnsFalseWhileRunning() throws Exception
    {
        final Process p = track(new Process(Targets.Sleep.class, 60_000L)).start();
        assertFalse(p.join(100));
        assertTrue(p.isAlive());
        p.terminate();
        assertTrue(p.join(10_000));
    }

    @Test
    void processTableFollowsTheLifecycle() throws Exception
    {
        final Process p = track(new Process(Targets.Sleep.class, 60_000L).name("table-check").daemon(true)).start();
        final ProcessTable table = Session.current().processTable();
        awaitRunning(p);
        assertEquals(SessionLayout.SLOT_RUNNING, table.state(p.slot()));
        assertEquals(p.pid(), table.pid(p.slot()));
        assertEquals("table-check", table.name(p.slot()));
        assertTrue(table.isDaemon(p.slot()));
        assertEquals(0, table.parentSlot(p.slot()));
        assertTrue(table.isAlive(p.slot()));
        assertTrue(table.heartbeatMillis(p.slot()) > 0);
        p.kill();
        p.join();
        awaitState(table, p.slot(), SessionLayout.SLOT_EXITED);
        assertEquals(-9, table.exitCode(p.slot()));
        assertFalse(table.isAlive(p.slot()));
    }

    @Test
    void daemonCanOnlyBeSetBeforeStartAndStartOnlyOnce() throws Exception
    {
        final Process p = track(new Process(Targets.Sleep.class, 0L)).start();
        assertThrows(IllegalStateException.class, () -> p.daemon(true));
        assertThrows(IllegalStateException.class, p::start);
        p.join();
    }

    @Test
    void unserializableTargetFailsAtStartWithAClearError()
    {
        final Object notSerializable = new Object();
        final Target target = args -> System.out.println(notSerializable);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new Process(target).start());
        assertTrue(ex.getMessage().contains("not serializable"), ex.getMessage());
    }

    @Test
    void operationsBeforeStartFailClearly()
    {
        final Process p = new Process(Targets.Sleep.class, 0L);
        assertThrows(IllegalStateException.class, p::join);
        assertThrows(IllegalStateException.class, p::terminate);
        assertFalse(p.isAlive());
        assertNull(p.exitCode(), "no exit code yet, as Python's None");
        final IllegalStateException noPid = assertThrows(IllegalStateException.class, p::pid,
            "no pid before start, rather than 0");
        assertTrue(noPid.getMessage().contains("not started"), noPid.getMessage());
        assertTrue(p.toString().contains("initial"), p.toString());
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void theExitCodeDoesNotWaitForTheJdksBusySharedPool() throws Exception
    {
        // A caller on the common pool (a parallel stream, runAsync) that joins a process must not wait for that
        // pool: on JDK 25 the process's exit callback runs there, and this would deadlock.
        final java.util.concurrent.ForkJoinPool common = java.util.concurrent.ForkJoinPool.commonPool();
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(common.getParallelism());
        for (int i = 0; i < common.getParallelism(); i++)
        {
            common.execute(() ->
            {
                busy.countDown();
                try
                {
                    release.await(60, java.util.concurrent.TimeUnit.SECONDS); // not a managed block: no spare thread
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try
        {
            assertTrue(busy.await(30, java.util.concurrent.TimeUnit.SECONDS), "the common pool never got busy");
            final Process p = track(new Process(Targets.ExitWith.class, 3)).start();
            p.join();
            assertEquals(3, p.exitCode());
        }
        finally
        {
            release.countDown();
        }
    }

    @Test
    void closeReleasesAnEndedProcessAndLaterCallsFailAsPythons() throws Exception
    {
        // not tracked: a closed process cannot be asked isAlive(), so this test kills it itself if it fails early
        final Process p = new Process(Targets.Sleep.class, 60_000L).name("to-close").start();
        try
        {
            final IllegalStateException running = assertThrows(IllegalStateException.class, p::close);
            assertTrue(running.getMessage().contains("still running"), running.getMessage());
        }
        finally
        {
            p.terminate();
            p.join();
        }
        final long pid = p.pid();
        p.close();
        for (final org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
            p::pid, p::exitCode, p::isAlive, p::join, p::terminate, p::kill, p::start))
        {
            final IllegalStateException closed = assertThrows(IllegalStateException.class, call);
            assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
        }
        p.close(); // again: nothing to do, as Python's
        assertEquals("<Process name='to-close' closed>", p.toString());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        final Process never = new Process(Targets.Sleep.class, 0L);
        never.close(); // Python allows closing a process that never started
        assertThrows(IllegalStateException.class, never::start);
    }

    static void awaitRunning(final Process p) throws InterruptedException
    {
        awaitState(Session.current().processTable(), p.slot(), SessionLayout.SLOT_RUNNING);
    }

    static void awaitState(final ProcessTable table, final int slot, final int state) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (table.state(slot) != state)
        {
            if (System.nanoTime() > deadline)
            {
                fail("slot " + slot + " never reached state " + ProcessTable.stateName(state) + "; it is " +
                    ProcessTable.stateName(table.state(slot)));
            }
            Thread.sleep(1);
        }
    }
}
