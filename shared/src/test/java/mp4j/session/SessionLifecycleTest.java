package mp4j.session;

import mp4j.process.WorkerCommand;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class SessionLifecycleTest
{
    /**
     * A daemon worker still booting when its parent is killed gets SIGTERM before its first line of mp4j code: that
     * code must let the exit go on quietly, not print "Exception in thread main IllegalStateException: Shutdown in
     * progress" on the user's screen (seen about once in fifty killed parents on JDK 25, whose exit is slower).
     */
    @Test
    void aJvmAlreadyExitingWhenItAsksForAnExitActionExitsQuietly() throws Exception
    {
        final Process jvm = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS, "-cp",
            System.getProperty("java.class.path"), ExitingJvmMain.class.getName()).start();
        try
        {
            final String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final String err = new String(jvm.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the JVM did not exit");
            assertEquals("", err.strip(), "it printed on stderr");
            assertEquals("asked", out.strip());
            assertEquals(143, jvm.exitValue());
        }
        finally
        {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
