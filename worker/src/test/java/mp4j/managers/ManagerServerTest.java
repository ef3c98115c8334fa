package mp4j.managers;

import mp4j.process.Process;
import mp4j.testing.StartedProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A user's own type in a manager's server process (Python's BaseManager.register and its test_mymanager): objects
 * made and called from several processes, errors re-raised, and a server killed failing every call at once.
 */
@Timeout(300)
class ManagerServerTest
{
    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    /** What the tests share through the server. */
    public interface Counter
    {
        int increment(int by);

        int value();

        String fail(String why);
    }

    /** Lives in the server process only. */
    public static final class SimpleCounter implements Counter
    {
        private int value;

        public SimpleCounter(final int start)
        {
            this.value = start;
        }

        @Override
        public int increment(final int by)
        {
            value += by;
            return value;
        }

        @Override
        public int value()
        {
            return value;
        }

        @Override
        public String fail(final String why)
        {
            throw new IllegalArgumentException(why);
        }
    }

    @Test
    void objectsOfARegisteredTypeAreSharedByEveryProcess() throws Exception
    {
        try (Manager manager = new Manager())
        {
            manager.register("Counter", args -> new SimpleCounter((Integer)args[0]));
            final RemoteObject remote = manager.create("Counter", 100);
            final Counter counter = remote.as(Counter.class);
            assertEquals(101, counter.increment(1));
            assertTrue(manager.serverPid() > 0 && manager.serverPid() != ProcessHandle.current().pid());
            final List<Process> processes = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                processes.add(started.track(new Process(args ->
                {
                    final Counter c = ((RemoteObject)args[0]).as(Counter.class);
                    for (int j = 0; j < 200; j++)
                    {
                        c.increment(1);
                    }
                }, remote)).daemon(true).start());
            }
            for (final Process p : processes)
            {
                assertTrue(p.join(120_000));
                assertEquals(0, p.exitCode());
            }
            assertEquals(701, counter.value(), "each call runs whole in the server, one at a time");
            assertSame(remote, RemoteObject.of(counter));
            assertEquals(5, manager.create("Counter", Counter.class, 5).value(), "another object of the type");

            final RemoteCallException thrown = assertThrows(RemoteCallException.class, () -> counter.fail("no!"));
            assertEquals("java.lang.IllegalArgumentException", thrown.remoteClass());
            assertTrue(thrown.getMessage().contains("no!") && thrown.remoteTrace().contains("SimpleCounter.fail"),
                thrown.getMessage());
            assertThrows(RemoteCallException.class, () -> remote.call("noSuchMethod"));
            assertThrows(RemoteCallException.class, () -> manager.create("NotRegistered"));
        }
    }

    @Test
    void aKilledServerFailsEveryCallAtOnceAndTheContainersStay() throws Exception
    {
        try (Manager manager = new Manager())
        {
            final SharedDict<String, Integer> d = manager.dict();
            manager.register("Counter", args -> new SimpleCounter(0));
            final Counter counter = manager.create("Counter", Counter.class);
            counter.increment(1);
            final long pid = manager.serverPid();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9
            final long t0 = System.nanoTime();
            final ServerDiedException died = assertThrows(ServerDiedException.class, () ->
            {
                while (true)
                {
                    counter.increment(1); // may still run while the kernel tears the process down
                }
            });
            final long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(died.getMessage().contains("pid " + pid), died.getMessage());
            assertTrue(ms < 10_000, "failed after " + ms + " ms");
            assertThrows(ServerDiedException.class, counter::value, "and every later call, at once");
            d.put("still", 1);
            assertEquals(1, d.get("still"), "the containers need no server");
        }
    }

    @Test
    void shuttingTheManagerDownEndsItsServer() throws Exception
    {
        final Manager manager = new Manager();
        manager.register("Counter", args -> new SimpleCounter(0));
        final Counter counter = manager.create("Counter", Counter.class);
        final ProcessHandle server = ProcessHandle.of(manager.serverPid()).orElseThrow();
        manager.close();
        assertTrue(server.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS) != null);
        assertFalse(server.isAlive());
        assertThrows(IllegalStateException.class, counter::value);
    }
}
