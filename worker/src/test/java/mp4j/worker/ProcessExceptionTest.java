package mp4j.worker;

import mp4j.process.WorkerCommand;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A target's exception, as Python prints one of a Process: "Process NAME:", the traceback, exit code 1. */
class ProcessExceptionTest
{
    @Test
    void aFailingTargetPrintsProcessNameThenItsOwnTraceAndExitsOne() throws Exception
    {
        final java.lang.Process jvm = new ProcessBuilder(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS,
            "-cp", System.getProperty("java.class.path"), FailingTargetsMain.class.getName()).start();
        try
        {
            final CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(jvm.getErrorStream()));
            final String stdout = read(jvm.getInputStream());
            assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), "the parent JVM did not exit");
            final String err = stderr.get(10, TimeUnit.SECONDS);
            assertEquals("exit 1 1", stdout.trim(), "both children exit with 1, as Python's; stderr:\n" + err);
            assertTrue(err.contains("Process failing-lambda:\njava.lang.IllegalArgumentException: bad input 7\n" +
                "\tat mp4j.worker.FailingTargetsMain.lambda$main$"), err);
            assertTrue(err.contains("Process failing-constructor:\njava.lang.IllegalStateException: failing in the " +
                "constructor\n\tat mp4j.testing.Targets$FailInConstructor.<init>"), "the target's own exception, " +
                "not the reflection's wrapper:\n" + err);
        }
        finally
        {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(final java.io.InputStream in)
    {
        try
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
