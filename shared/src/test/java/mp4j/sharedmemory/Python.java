package mp4j.sharedmemory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs small inline python3 scripts for the interop tests; skips them, loudly, where python3 is missing. */
final class Python
{
    /**
     * Attaching in CPython before 3.13 registers the block with its resource tracker, which unlinks it when the
     * Python program ends; scripts that only attach call this to leave the block to its owner.
     */
    static final String PRELUDE = String.join("\n",
        "import sys, struct",
        "from multiprocessing import shared_memory, resource_tracker",
        "def untrack(shm):",
        "    resource_tracker.unregister(shm._name, 'shared_memory')",
        "");

    private static Boolean available;

    private Python()
    {
    }

    static synchronized void assumeAvailable()
    {
        if (available == null)
        {
            try
            {
                final Process p = new ProcessBuilder("python3", "-c", "import multiprocessing.shared_memory")
                    .redirectErrorStream(true).start();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            }
            catch (final IOException ex)
            {
                available = false;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        assumeTrue(available, "python3 with multiprocessing.shared_memory is not on the PATH: " +
            "the Java<->Python interop tests are SKIPPED, not passed");
    }

    /** Runs {@code script} with {@code args} as sys.argv[1:]; returns stdout; fails the test on a non-zero exit. */
    static String run(final String script, final String... args) throws Exception
    {
        final Result result = runAllowingFailure(script, args);
        assertEquals(0, result.exitCode, "python3 failed:\n" + result.stderr + "\nscript:\n" + script);
        return result.stdout.strip();
    }

    record Result(int exitCode, String stdout, String stderr)
    {
    }

    static Result runAllowingFailure(final String script, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("python3", "-c", PRELUDE + script));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).start();
        final var out = p.getInputStream().readAllBytes();
        final var err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
