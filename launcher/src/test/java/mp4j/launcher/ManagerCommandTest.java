package mp4j.launcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** launcher manager: exact totals both ways, the output a person reads, --json, bad arguments. */
class ManagerCommandTest
{
    @Test
    void countsExactlyWithMergeAndWithALock()
    {
        for (final String mode : new String[]{"merge", "locked"})
        {
            final Cli cli = Cli.run("manager", "--procs", "3", "--increments", "2000", "--mode", mode, "--json");
            assertEquals(0, cli.exitCode(), cli.err());
            assertTrue(cli.out().startsWith("{\"procs\":3,\"increments\":2000,\"mode\":\"" + mode + "\"," +
                "\"expected\":6000,\"actual\":6000,\"ok\":true,\"opsPerSecond\":"), cli.out());
            assertTrue(cli.out().contains("\"counters\":{\"a\":1200,\"b\":1200,\"c\":1200,\"d\":1200,\"e\":1200}"),
                cli.out());
            assertTrue(cli.out().contains("workers=3") && cli.out().contains("\"blocksLost\":0"), cli.out());
        }
    }

    @Test
    void printsTotalsForAPerson()
    {
        final Cli cli = Cli.run("manager", "--procs", "2", "--increments", "500");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("2 processes x 500 increments"), cli.out());
        assertTrue(cli.out().contains("counters  {a=200, b=200, c=200, d=200, e=200}"), cli.out());
        assertTrue(cli.out().contains("actual    1,000   (exact)"), cli.out());
        assertTrue(cli.out().contains("namespace Namespace(last='counter-"), cli.out());
        assertTrue(cli.out().contains("increments/s"), cli.out());
    }

    @Test
    void badArgumentsAreUsageErrors()
    {
        assertEquals(2, Cli.run("manager", "--procs", "0").exitCode());
        assertEquals(2, Cli.run("manager", "--procs", "61").exitCode());
        assertEquals(2, Cli.run("manager", "--increments", "-1").exitCode());
        final Cli mode = Cli.run("manager", "--mode", "fast");
        assertEquals(2, mode.exitCode());
        assertTrue(mode.err().contains("--mode must be merge or locked"), mode.err());
    }
}
