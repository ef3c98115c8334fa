package mp4j.session;

import mp4j.process.WorkerCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** How a process that made a session ends when the JVM exits with work still going on. */
class ExitTest
{
    @Test
    void exitingWhileAThreadStillUsesSharedMemoryIsCleanAndRemovesTheSession(@TempDir final Path dir) throws Exception
    {
        final java.lang.Process jvm = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS,
            "-cp", System.getProperty("java.class.path"), ExitWhileBusyMain.class.getName())
            .directory(dir.toFile()) // where a crashing JVM would write its hs_err file
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        try
        {
            final String sessionFile = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), "the JVM did not exit");
            try (Stream<Path> files = Files.list(dir))
            {
                assertEquals(0, files.count(), "the JVM crashed at exit (an hs_err file is in " + dir + ")");
            }
            assertEquals(0, jvm.exitValue(), "exit status");
            assertFalse(sessionFile.isEmpty(), "the JVM printed no session file");
            assertFalse(Files.exists(Path.of(sessionFile)), "session file " + sessionFile + " left behind");
        }
        finally
        {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
