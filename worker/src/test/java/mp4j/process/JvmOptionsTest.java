package mp4j.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** What a worker JVM inherits from its parent's command line, and what JvmOptions sets, in real JVMs. */
class JvmOptionsTest
{
    @Test
    void workersInheritCommandLinePropertiesButNotTheHeapAndTakeTheirOptions(@TempDir final Path dir)
        throws Exception
    {
        final java.lang.Process parent = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS,
            "-Xmx100m", "-Dinherit.me=yes", "-cp", System.getProperty("java.class.path"),
            JvmOptionsParentMain.class.getName(), dir.toString())
            .redirectErrorStream(true)
            .start();
        try
        {
            final String output = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(parent.waitFor(60, TimeUnit.SECONDS), output);
            assertEquals(0, parent.exitValue(), output);
        }
        finally
        {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        final String[] plain = Files.readString(dir.resolve("default")).split(" ");
        assertEquals("yes", plain[0], "a -D of the parent's command line reaches its workers");
        assertEquals("null", plain[1]);
        assertTrue(Long.parseLong(plain[2]) > 100, "the parent's -Xmx100m is not a worker's: " + plain[2] + " MiB");

        final String[] configured = Files.readString(dir.resolve("configured")).split(" ");
        assertEquals("overridden", configured[0], "the options' property wins over the inherited one");
        assertEquals("by", configured[1]);
        assertTrue(Long.parseLong(configured[configured.length - 1]) <= 64, "maxHeap(64m) gave " +
            configured[configured.length - 1] + " MiB");

        final String[] isolated = Files.readString(dir.resolve("isolated")).split(" ");
        assertEquals("null", isolated[0], "inheritSystemProperties(false) leaves the parent's -D out");
    }
}
