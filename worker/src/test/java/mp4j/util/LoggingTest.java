package mp4j.util;

import mp4j.process.WorkerCommand;
import mp4j.testing.Targets;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** mp4j's log: silent by default; -Dmp4j.log=debug prints the parent's and the worker's events on stderr. */
class LoggingTest
{
    @Test
    void silentByDefault() throws Exception
    {
        final String stderr = run();
        assertFalse(stderr.contains("[mp4j"), stderr);
    }

    @Test
    void onePropertyPrintsWorkerStartsAndExitsFromBothSides() throws Exception
    {
        final String stderr = run("-Dmp4j.log=debug");
        final long parent = ProcessHandle.current().pid(); // not the logging JVM: lines carry their own pid
        assertTrue(stderr.matches("(?s).*\\[mp4j DEBUG [0-9:.]+ pid [0-9]+ main] logged-worker \\(pid [0-9]+, slot " +
            "[0-9]+\\) started in session .*"), stderr);
        assertTrue(stderr.contains("] worker logged-worker (slot "), "the worker's own events: " + stderr);
        assertTrue(stderr.contains(") runs " + Targets.Sleep.class.getName()), stderr);
        assertTrue(stderr.contains(") exits with code 0"), stderr);
        assertTrue(stderr.matches("(?s).*logged-worker \\(pid [0-9]+, slot [0-9]+\\) exited with code 0.*"), stderr);
        assertFalse(stderr.contains("pid " + parent + " "), stderr);
        assertFalse(stderr.contains("] starting logged-worker: "), "command lines only at trace: " + stderr);
        assertTrue(run("-Dmp4j.log=trace").contains("] starting logged-worker: "), "trace shows command lines");
    }

    private static String run(final String... properties) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoggingParentMain.class.getName()));
        final java.lang.Process jvm = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try
        {
            final String stderr = new String(jvm.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), stderr);
            assertEquals(0, jvm.exitValue(), stderr);
            return stderr;
        }
        finally
        {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
