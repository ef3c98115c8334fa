package mp4j.pool;

import mp4j.process.WorkerCommand;
import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Damage to a live pool's session file, done from outside as a clumsy user or a full disk would: the job may fail,
 * but with a clear error, every process ends, nothing is left behind (no session file, no JVM crash report in the
 * working folder), and nothing hangs. The pool's parent is a JVM of its own ({@link DamagedPoolMain}): a damaged
 * session cannot be this test JVM's.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolDamageTest
{
    /** A hang is what these tests look for: far longer than any failure takes to be noticed (10 ms). */
    private static final long NO_HANG_SECONDS = 60;

    @TempDir
    Path workingFolder;

    private java.lang.Process parent;
    private Path sessionFile;
    private final List<Long> workers = new ArrayList<>();
    private final List<Long> stopped = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception
    {
        for (final long pid : stopped)
        {
            signal("CONT", pid);
        }
        if (parent != null)
        {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (final long pid : workers)
        {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            final Path report = WorkerCommand.crashReport(pid);
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
    void aSessionFileTruncatedUnderARunningMapFailsItWithAClearError() throws Exception
    {
        start(2, 200, 20);
        go();
        awaitTasksDone(4);
        try (RandomAccessFile file = new RandomAccessFile(sessionFile.toFile(), "rw"))
        {
            file.setLength(4096);
        }
        final String outcome = awaitOutcome();
        assertTrue(outcome.startsWith("error mp4j.session.SessionFileException: session file " + sessionFile +
            " was truncated to 4096 bytes while in use"), outcome);
        assertEverythingEnded();
    }

    @Test
    void headerBytesOverwrittenWhileAPoolRunsLeaveTheResultsRightAndTheFileIsStillRemoved() throws Exception
    {
        start(2, 100, 10);
        go();
        awaitTasksDone(4);
        final byte[] noise = new byte[SessionLayout.HEADER_LENGTH - 8];
        new Random(18).nextBytes(noise);
        write(8, noise); // everything but the magic
        assertEquals("ok", awaitOutcome());
        assertEquals(0, parent.exitValue(), stderr());
        assertEverythingEnded();
    }

    @Test
    void aTaskRingTrailerOverwrittenBreaksThePoolWithAClearError() throws Exception
    {
        overwriteATrailerWhileTheMapRuns(true);
    }

    @Test
    void aResultRingTrailerOverwrittenBreaksThePoolWithAClearError() throws Exception
    {
        overwriteATrailerWhileTheMapRuns(false);
    }

    private void overwriteATrailerWhileTheMapRuns(final boolean taskRing) throws Exception
    {
        start(2, 200, 20);
        go();
        awaitTasksDone(4);
        final byte[] noise = new byte[RingBufferDescriptor.TRAILER_LENGTH];
        new Random(taskRing ? 1 : 2).nextBytes(noise);
        write(ringTrailer(1, taskRing), noise);
        final String outcome = awaitOutcome();
        assertTrue(outcome.startsWith("error mp4j.session.SessionFileException: pool damaged broke: the rings of " +
            "its worker 1"), outcome);
        assertTrue(outcome.contains("were overwritten while in use"), outcome);
        assertEverythingEnded();
    }

    /**
     * A task whose record in the ring is overwritten, with every ring position still plausible: the worker never
     * sees it, and nothing else would ever answer it. The worker is stopped meanwhile (SIGSTOP), which must not be
     * mistaken for anything: the loss is found once it runs again and reads its ring to the end.
     */
    @Test
    void aTaskLostInsideItsRingIsFoundAndFailsItsCall() throws Exception
    {
        start(1, 1, 0);
        final long worker = workers.get(0);
        signal("STOP", worker);
        stopped.add(worker);
        go();
        final long trailer = ringTrailer(0, true);
        final int capacity = ringCapacity();
        // The owner writes the call's messages into the stopped worker's ring; the first one is made unreadable.
        await("the task is in the ring", () ->
        {
            final long head = readLong(trailer + RingBufferDescriptor.HEAD_POSITION_OFFSET);
            final long tail = readLong(trailer + RingBufferDescriptor.TAIL_POSITION_OFFSET);
            return tail > head && readInt(trailer - capacity + (int)(head & (capacity - 1))) > 0;
        });
        final long head = readLong(trailer + RingBufferDescriptor.HEAD_POSITION_OFFSET);
        write(trailer - capacity + (int)(head & (capacity - 1)), new byte[4]);
        Thread.sleep(200); // stopped for a while: the call waits, and no answer is made up for it
        assertTrue(parent.isAlive(), "the pool gave up on a stopped worker: " + stderr());
        signal("CONT", worker);
        stopped.remove(worker);
        final String outcome = awaitOutcome();
        assertTrue(outcome.contains("1 task was lost: the worker read its task ring to the end"), outcome);
        assertEverythingEnded();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void start(final int processes, final int items, final int sleepMs) throws IOException
    {
        // Its session in a folder of its own: the sweep any mp4j start on the machine runs over /dev/shm must not
        // be what removes it.
        final Path sessions = Files.createDirectories(workingFolder.resolve("sessions"));
        parent = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS, "-Dmp4j.dir=" + sessions,
            "-cp", System.getProperty("java.class.path"), DamagedPoolMain.class.getName(), Integer.toString(processes),
            Integer.toString(items), Integer.toString(sleepMs))
            .directory(workingFolder.toFile()) // where a crashing JVM would write its hs_err file
            .redirectError(workingFolder.resolve("stderr.txt").toFile())
            .start();
        final String line = readLine();
        assertNotNull(line, "the pool's parent printed nothing: " + stderr());
        final String[] fields = line.split(" ");
        assertEquals("ready", fields[0], line);
        sessionFile = Path.of(fields[1]);
        for (int i = 2; i < fields.length; i++)
        {
            workers.add(Long.parseLong(fields[i]));
        }
        assertEquals(processes, workers.size(), line);
    }

    private void go() throws IOException
    {
        final OutputStream in = parent.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private final StringBuilder out = new StringBuilder();
    private BufferedReader reader;

    private String readLine() throws IOException
    {
        if (reader == null)
        {
            reader = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        }
        String line;
        do
        {
            line = reader.readLine();
            if (line != null)
            {
                out.append(line).append('\n');
            }
        }
        // A worker that dies of the damage in a JVM fatal error prints HotSpot's banner to the stdout it shares:
        // allowed (it is a dead worker like any other), but it is not the pool's outcome.
        while (line != null && (line.startsWith("#") || line.isBlank()));
        return line;
    }

    /** The map's outcome line; fails when the parent does not end within {@link #NO_HANG_SECONDS}. */
    private String awaitOutcome() throws Exception
    {
        if (!parent.waitFor(NO_HANG_SECONDS, TimeUnit.SECONDS))
        {
            fail("the pool's parent hung after the damage; stdout: " + out + "stderr: " + stderr());
        }
        final String outcome = readLine();
        assertNotNull(outcome, "no outcome; stderr: " + stderr());
        assertEquals("closed", readLine(), "the pool did not close; stderr: " + stderr());
        return outcome;
    }

    private void assertEverythingEnded() throws Exception
    {
        for (final long pid : workers)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NO_HANG_SECONDS);
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                assertTrue(System.nanoTime() < deadline, "worker " + pid + " outlived its damaged pool");
                Thread.sleep(5);
            }
        }
        assertFalse(Files.exists(sessionFile), "session file " + sessionFile + " left behind; stderr: " + stderr());
        try (Stream<Path> files = Files.list(workingFolder))
        {
            final List<Path> crashes = files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
            assertEquals(List.of(), crashes, "JVM crash reports in the working folder");
        }
        try (Stream<Path> files = Files.list(sessionFile.getParent()))
        {
            assertEquals(List.of(), files.toList(), "files left in the session folder");
        }
        assertFalse(stderr().contains("\tat "), "a stack trace reached the user: " + stderr());
    }

    private String stderr()
    {
        try
        {
            return Files.readString(workingFolder.resolve("stderr.txt"));
        }
        catch (final IOException ex)
        {
            return "(no stderr: " + ex + ")";
        }
    }

    private void awaitTasksDone(final long tasks) throws Exception
    {
        await(tasks + " tasks done", () ->
        {
            try (Session session = Session.openReadOnly(sessionFile))
            {
                long done = 0;
                for (int slot = 1; slot < session.processTable().slotCount(); slot++)
                {
                    done += session.processTable().counter(slot, 0);
                }
                return done >= tasks;
            }
        });
    }

    private int poolBase()
    {
        try (Session session = Session.openReadOnly(sessionFile))
        {
            for (final DirectoryEntry entry : session.directory().entries())
            {
                if (entry.kind() == ObjectKind.POOL)
                {
                    return (int)entry.offset();
                }
            }
        }
        throw new AssertionError("no pool in " + sessionFile);
    }

    private int ringCapacity() throws IOException
    {
        return readInt(poolBase() + PoolLayout.RING_CAPACITY_OFFSET);
    }

    /** The file offset of the trailer of worker position {@code w}'s task (or result) ring. */
    private long ringTrailer(final int w, final boolean taskRing) throws IOException
    {
        final int capacity = ringCapacity();
        final int position = PoolLayout.position(poolBase(), capacity, w);
        return position + PoolLayout.POSITION_HEADER_LENGTH + (taskRing ? 0 : PoolLayout.ringLength(capacity)) +
            capacity;
    }

    private void write(final long offset, final byte[] bytes) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(sessionFile.toFile(), "rw"))
        {
            file.seek(offset);
            file.write(bytes);
        }
    }

    private long readLong(final long offset)
    {
        try (RandomAccessFile file = new RandomAccessFile(sessionFile.toFile(), "r"))
        {
            file.seek(offset);
            return Long.reverseBytes(file.readLong());
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private int readInt(final long offset) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(sessionFile.toFile(), "r"))
        {
            file.seek(offset);
            return Integer.reverseBytes(file.readInt());
        }
    }

    private static void signal(final String signal, final long pid) throws Exception
    {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
    }

    private interface Condition
    {
        boolean holds() throws Exception;
    }

    private static void await(final String what, final Condition condition) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NO_HANG_SECONDS);
        while (!condition.holds())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(2);
        }
    }
}
