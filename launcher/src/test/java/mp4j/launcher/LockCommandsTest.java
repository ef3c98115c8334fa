package mp4j.launcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** lock-value and lock-array: exact totals with a lock, the output a person reads, --json, bad arguments. */
class LockCommandsTest
{
    @Test
    void lockValueIsExactWithEitherLock()
    {
        for (final String lock : new String[]{"value", "separate"})
        {
            final Cli cli = Cli.run("lock-value", "--procs", "3", "--increments", "20000", "--lock", lock, "--json");
            assertEquals(0, cli.exitCode(), cli.err());
            assertTrue(cli.out().contains("\"expected\":60000,\"actual\":60000,\"lost\":0,\"exact\":true"), cli.out());
        }
    }

    @Test
    void lockValueWithoutALockSaysWhatWasLost()
    {
        final Cli cli = Cli.run("lock-value", "--procs", "2", "--increments", "200000", "--lock", "none");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("with no lock"), cli.out());
        assertTrue(cli.out().contains("expected 400,000"), cli.out());
        assertTrue(cli.out().contains("(exact)") || cli.out().contains("updates lost"), cli.out());
    }

    @Test
    void lockArrayIsExactUnderItsLock()
    {
        final Cli cli = Cli.run("lock-array", "--procs", "3", "--updates", "20000", "--length", "100");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("expected 60,000"), cli.out());
        assertTrue(cli.out().contains("actual   60,000   (exact)"), cli.out());
        assertTrue(cli.out().contains("M updates/s"), cli.out());
    }

    @Test
    void badArgumentsAreUsageErrors()
    {
        assertEquals(2, Cli.run("lock-value", "--procs", "0").exitCode());
        assertEquals(2, Cli.run("lock-value", "--increments", "-1").exitCode());
        final Cli lock = Cli.run("lock-value", "--lock", "mutex");
        assertEquals(2, lock.exitCode());
        assertTrue(lock.err().contains("--lock must be value, separate or none"), lock.err());
        assertEquals(2, Cli.run("lock-array", "--length", "0").exitCode());
        assertEquals(2, Cli.run("lock-array", "--lock", "value").exitCode());
    }
}
