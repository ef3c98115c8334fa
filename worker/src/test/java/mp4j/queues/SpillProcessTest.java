package mp4j.queues;

import example.Order;
import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.process.WorkerCommand;
import mp4j.session.Session;
import mp4j.session.StaleSessions;
import mp4j.testing.StartedProcesses;
import mp4j.testing.Targets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Unbounded queues and pipes between worker JVMs: a producer fills them before any consumer runs, as Python's
 * "fill the task queue, then start the workers"; producers and consumers killed with SIGKILL mid-way leave them
 * consistent; what they grew into is returned when read and removed with the session.
 */
@Timeout(300)
class SpillProcessTest
{
    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    private Process track(final Process process)
    {
        return started.track(process);
    }

    /** The side files of this JVM's session (queue and pipe spill segments). */
    static Set<String> sideFiles(final Path sessionFile) throws IOException
    {
        final Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(sessionFile.getParent(),
            sessionFile.getFileName() + ".*"))
        {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        return names;
    }

    /** Gets {@code count} values, checks that value i is i (FIFO), and puts "ok" or what went wrong on args[1]. */
    static final class CheckInOrder implements Target
    {
        @Override
        public void run(final Object... args) throws Exception
        {
            final Queue results = (Queue)args[1];
            final int count = (Integer)args[2];
            String verdict = "ok";
            for (int i = 0; i < count; i++)
            {
                final Object value = args[0] instanceof SimpleQueue simple ? simple.get() : ((Queue)args[0]).get();
                if (!Integer.valueOf(i).equals(value))
                {
                    verdict = "value " + i + " was " + value;
                    break;
                }
                if (args[0] instanceof JoinableQueue joinable)
                {
                    joinable.taskDone();
                }
            }
            results.put(verdict);
        }
    }

    @Test
    void aMillionSmallItemsPutBeforeAnyConsumerRuns() throws Exception
    {
        final Path session = Session.current().file();
        final Set<String> before = sideFiles(session);
        final Queue q = new Queue();
        final Queue results = new Queue();
        final int count = 1_000_000;
        final Process producer = track(new Process(args ->
        {
            final Queue queue = (Queue)args[0];
            for (int i = 0; i < (Integer)args[1]; i++)
            {
                queue.put(i);
            }
        }, q, count)).start();
        producer.join();
        assertEquals(0, producer.exitCode(), "the producer put them all without a consumer");
        assertEquals(count, q.qsize());
        assertFalse(q.full());
        final Process consumer = track(new Process(CheckInOrder.class, q, results, count)).start();
        assertEquals("ok", results.get(true, 240_000));
        consumer.join();
        assertTrue(q.empty());
        assertEquals(before, sideFiles(session), "the spill's files are freed once read");
    }

    @Test
    void aHundredItemsOfOneMebibytePutBeforeAnyConsumerRuns() throws Exception
    {
        final Path session = Session.current().file();
        final Set<String> before = sideFiles(session);
        final Queue q = new Queue();
        final Queue results = new Queue();
        final Process producer = track(new Process(args ->
        {
            final Queue queue = (Queue)args[0];
            for (int i = 0; i < 100; i++)
            {
                final byte[] item = new byte[1 << 20];
                java.util.Arrays.fill(item, (byte)i);
                queue.put(item);
            }
        }, q)).start();
        producer.join();
        assertEquals(0, producer.exitCode());
        assertEquals(100, q.qsize());
        final Process consumer = track(new Process(args ->
        {
            final Queue queue = (Queue)args[0];
            String verdict = "ok";
            for (int i = 0; i < 100 && verdict.equals("ok"); i++)
            {
                final byte[] item = (byte[])queue.get();
                if (item.length != 1 << 20 || item[0] != (byte)i || item[item.length - 1] != (byte)i)
                {
                    verdict = "item " + i + " is wrong";
                }
            }
            ((Queue)args[1]).put(verdict);
        }, q, results)).start();
        assertEquals("ok", results.get(true, 120_000));
        consumer.join();
        assertTrue(q.empty());
        assertEquals(before, sideFiles(session));
    }

    @Test
    void simpleAndJoinableQueuesAndPipesBufferBeforeAnyReaderRuns() throws Exception
    {
        final Path session = Session.current().file();
        final Set<String> before = sideFiles(session);
        final SimpleQueue simple = new SimpleQueue();
        final JoinableQueue joinable = new JoinableQueue();
        final Pipe pipe = Pipe.create(false);
        final Queue results = new Queue();
        final int count = 200_000;
        final Process producer = track(new Process(args ->
        {
            for (int i = 0; i < (Integer)args[3]; i++)
            {
                ((SimpleQueue)args[0]).put(i);
                ((JoinableQueue)args[1]).put(i);
                ((Connection)args[2]).send(i);
            }
        }, simple, joinable, pipe.conn2(), count)).start();
        producer.join();
        assertEquals(0, producer.exitCode(), "nothing waited for a reader");
        assertEquals(count, joinable.unfinishedTasks());
        track(new Process(CheckInOrder.class, simple, results, count)).start();
        track(new Process(CheckInOrder.class, joinable, results, count)).start();
        assertEquals("ok", results.get(true, 240_000));
        assertEquals("ok", results.get(true, 240_000));
        assertTrue(joinable.join(60_000));
        for (int i = 0; i < count; i++)
        {
            assertEquals(i, pipe.conn1().recv());
        }
        assertTrue(simple.empty());
        assertEquals(before, sideFiles(session));
    }

    @Test
    void producersKilledMidPutLeaveTheQueueConsistent() throws Exception
    {
        final Path session = Session.current().file();
        final Set<String> before = sideFiles(session);
        for (int round = 0; round < 3; round++)
        {
            final Queue q = Queue.create(Session.current(), null, 0, 4096); // spills after a few hundred values
            final Process producer = track(new Process(args ->
            {
                final Queue queue = (Queue)args[0];
                for (int i = 0; ; i++)
                {
                    queue.put(i);
                    if (i % 5000 == 4999)
                    {
                        queue.put(new byte[300_000]); // segments roll over now and then
                    }
                }
            }, q)).start();
            final int atLeast = 30_000 + round * 40_000;
            final long deadline = System.nanoTime() + 120_000_000_000L;
            while (q.qsize() < atLeast)
            {
                assertTrue(System.nanoTime() < deadline, "the producer put only " + q.qsize());
                Thread.sleep(1);
            }
            producer.kill();
            producer.join();
            int expect = 0;
            while (true)
            {
                final Object value;
                try
                {
                    value = q.get(true, 2000);
                }
                catch (final Empty ex)
                {
                    break;
                }
                if (value instanceof byte[] big)
                {
                    assertEquals(300_000, big.length);
                    continue;
                }
                assertEquals(expect++, value, "FIFO from the killed producer: nothing lost or twice");
            }
            assertTrue(expect >= atLeast - atLeast / 5000, "got " + expect);
            q.put("after");
            assertEquals("after", q.get(true, 10_000));
            assertTrue(q.empty());
        }
        assertEquals(before, sideFiles(session), "nothing of the killed producers is left");
    }

    @Test
    void aConsumerKilledMidGetLeavesTheQueueConsistent() throws Exception
    {
        final Path session = Session.current().file();
        final Set<String> before = sideFiles(session);
        final Queue q = Queue.create(Session.current(), null, 0, 4096);
        final int count = 300_000;
        for (int i = 0; i < count; i++)
        {
            q.put(i);
        }
        final Process consumer = track(new Process(args ->
        {
            final Queue queue = (Queue)args[0];
            while (true)
            {
                queue.get();
            }
        }, q)).start();
        final long deadline = System.nanoTime() + 120_000_000_000L;
        while (q.qsize() > count / 2)
        {
            assertTrue(System.nanoTime() < deadline, "the consumer got only " + (count - q.qsize()));
            Thread.sleep(1);
        }
        consumer.kill();
        consumer.join();
        int last = -1;
        while (true)
        {
            final Object value;
            try
            {
                value = q.get(true, 2000);
            }
            catch (final Empty ex)
            {
                break;
            }
            final int got = (Integer)value;
            assertTrue(last < 0 ? got > 0 : got == last + 1, "after " + last + " came " + got);
            last = got;
        }
        assertEquals(count - 1, last, "everything after the killed consumer's last value came, once, in order");
        assertEquals(before, sideFiles(session));
    }

    private static java.lang.Process spillingProgram(final String mode) throws IOException
    {
        return new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS, "-cp",
            System.getProperty("java.class.path"), SpillingMain.class.getName(), mode)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Path sessionOf(final java.lang.Process program) throws IOException
    {
        final String line = new java.io.BufferedReader(new java.io.InputStreamReader(program.getInputStream(),
            java.nio.charset.StandardCharsets.UTF_8)).readLine();
        assertNotNull(line, "the program printed no session file");
        return Path.of(line.trim());
    }

    @Test
    void theSessionsEndRemovesWhatItsQueuesSpilled() throws Exception
    {
        final java.lang.Process program = spillingProgram("exit");
        try
        {
            final Path session = sessionOf(program);
            assertTrue(program.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, program.exitValue());
            assertFalse(Files.exists(session));
            assertEquals(Set.of(), sideFiles(session), "its spill segments went with the session file");
        }
        finally
        {
            program.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKilledSessionsSpillIsSweptWithItsFile() throws Exception
    {
        final java.lang.Process program = spillingProgram("wait");
        try
        {
            final Path session = sessionOf(program);
            assertFalse(sideFiles(session).isEmpty(), "the program's queue spilled");
            program.destroyForcibly();
            assertTrue(program.waitFor(60, TimeUnit.SECONDS));
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (Files.exists(session)) // what every mp4j start does: sweep sessions whose processes are all gone
            {
                assertTrue(System.nanoTime() < deadline, "the killed program's session was not swept");
                StaleSessions.clean(false);
                Thread.sleep(10);
            }
            assertEquals(Set.of(), sideFiles(session), "its spill segments went with the session file");
        }
        finally
        {
            program.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theProgramsOwnClassesTravelWithoutAnAllowAndOthersAreReported() throws Exception
    {
        final Queue q = new Queue();
        final Process producer = track(new Process(args ->
        {
            ((Queue)args[0]).put(new Order("tea", 3));
            ((Queue)args[0]).put(args[1]); // a process argument of the program's own class came too
        }, q, new Order("cake", 1))).start();
        assertEquals(new Order("tea", 3), q.get(true, 60_000));
        assertEquals(new Order("cake", 1), q.get(true, 60_000));
        producer.join();
        assertEquals(0, producer.exitCode());
        final Process refused = track(new Process(Targets.Sleep.class, new AtomicInteger(5))).start();
        refused.join();
        assertEquals(1, refused.exitCode(), "a JDK class outside the rule's safe set is refused as a process argument");
    }

    @Test
    void waitTakesProcessSentinelsWithConnectionsAndQueues() throws Exception
    {
        final Queue q = new Queue();
        final Pipe pipe = Pipe.create();
        final Process sleeper = track(new Process(Targets.Sleep.class, 300L)).start();
        final Waitable sentinel = sleeper.sentinel();
        final List<Waitable> all = new ArrayList<>(List.of(pipe.conn1(), q, sentinel));
        assertEquals(List.of(sentinel), Connection.wait(all), "the sleeper ended first");
        assertFalse(sleeper.isAlive());
        final Process sender = track(new Process(args -> ((Connection)args[0]).send("hi"), pipe.conn2())).start();
        sender.join();
        all.remove(2);
        assertEquals(List.of(pipe.conn1()), Connection.wait(all, 60_000));
        assertEquals("hi", pipe.conn1().recv());
        assertThrows(IllegalStateException.class, () -> new Process(Targets.Sleep.class, 1L).sentinel(),
            "no sentinel before start, as Python's ValueError");
    }
}
