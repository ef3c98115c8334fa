package mp4j.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The pool and pool-async demos print what the lecture shows, and check their own results. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolCommandTest
{
    @Test
    void poolPrintsEachWorkerAndTheSpeedUp()
    {
        final Cli cli = Cli.run("pool", "--procs", "2", "--tasks", "16", "--work", "2000");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("pool.apply(f, (10,)) = "), cli.out());
        assertEquals(2, cli.out().lines().filter(line -> line.trim().startsWith("worker pid")).count(), cli.out());
        assertTrue(cli.out().contains("sequential:"), cli.out());
        assertTrue(cli.out().contains("results: all 16 correct"), cli.out());
    }

    @Test
    void poolJsonHasTheDocumentedKeys()
    {
        final Cli cli = Cli.run("pool", "--procs", "2", "--tasks", "10", "--work", "1000", "--chunksize", "1",
            "--no-sequential", "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        final String json = cli.out().trim();
        assertTrue(json.startsWith("{\"procs\":2,\"tasks\":10,\"workers\":[{\"pid\":"), json);
        assertTrue(json.contains("\"ok\":true"), json);
        assertTrue(json.contains("\"seconds\":"), json);
        assertFalse(json.contains("sequentialSeconds"), json);
    }

    @Test
    void poolAsyncShowsResultsArrivingOutOfOrder()
    {
        final Cli cli = Cli.run("pool-async", "--procs", "4", "--tasks", "6", "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        final String json = cli.out().trim();
        assertTrue(json.contains("\"outOfOrder\":true"), "seed 7's durations finish out of order: " + json);
        assertTrue(json.contains("\"callbackThreads\":[\"pool-async-demo-callbacks\"]"), json);
        assertTrue(json.contains("\"mapAsync\":[0,1,4,9,16,25,36,49,64,81]"), json);
        assertTrue(json.contains("\"ok\":true"), json);
    }

    @Test
    void badArgumentsAreUsageErrors()
    {
        assertEquals(2, Cli.run("pool", "--procs", "0").exitCode());
        assertEquals(2, Cli.run("pool", "--tasks", "-1").exitCode());
        assertEquals(2, Cli.run("pool-async", "--tasks", "0").exitCode());
    }
}
