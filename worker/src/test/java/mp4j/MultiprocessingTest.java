package mp4j;

import mp4j.process.BaseProcess;
import mp4j.process.Process;
import mp4j.process.Target;
import mp4j.testing.StartedProcesses;
import mp4j.testing.Targets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Python's cpu_count, current_process, parent_process and active_children, in the main process and a worker. */
class MultiprocessingTest
{
    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    @Test
    void theMainProcessHasNoParentAndSeesItsActiveChildren() throws Exception
    {
        assertEquals(Runtime.getRuntime().availableProcessors(), Multiprocessing.cpuCount());
        final BaseProcess current = Multiprocessing.currentProcess();
        assertEquals("MainProcess", current.name());
        assertEquals(ProcessHandle.current().pid(), current.pid());
        assertFalse(current.daemon());
        assertTrue(current.isAlive());
        assertNull(current.exitCode());
        assertThrows(IllegalStateException.class, () -> current.join(1));
        assertNull(Multiprocessing.parentProcess());

        final Process sleeper = started.track(new Process(Targets.Sleep.class, 60_000)).start();
        assertTrue(Multiprocessing.activeChildren().contains(sleeper));
        sleeper.terminate();
        sleeper.join();
        assertFalse(Multiprocessing.activeChildren().contains(sleeper), "a child that ended is not active");
    }

    @Test
    void aWorkerKnowsItselfAndItsParent(@TempDir final Path dir) throws Exception
    {
        final Path out = dir.resolve("who");
        final Process worker = started.track(new Process(Who.class, out.toString()).name("who-1").daemon(true))
            .start();
        worker.join();
        assertEquals(0, worker.exitCode());
        assertEquals("who-1 " + worker.pid() + " true null | MainProcess " + ProcessHandle.current().pid() +
            " true false null", Files.readString(out));
    }

    /** Writes current_process() and parent_process() as a worker sees them. */
    public static final class Who implements Target
    {
        @Override
        public void run(final Object... args) throws Exception
        {
            final BaseProcess me = Multiprocessing.currentProcess();
            final BaseProcess parent = Multiprocessing.parentProcess();
            Files.writeString(Path.of((String)args[0]), me.name() + " " + me.pid() + " " + me.daemon() + " " +
                me.exitCode() + " | " + parent.name() + " " + parent.pid() + " " + parent.isAlive() + " " +
                parent.join(1) + " " + parent.exitCode());
        }
    }
}
