package mp4j.launcher;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

    /**
     * Issue 18: a killed lock holder made lock-value exit 1 with "worker racer-N failed with exit code -9" and no
     * count. What mp4j promises, shown: the next holder takes the lock, sees ownerDied() and repairs the count.
     */
    @Test
    void lockValueKillOneShowsTheRecoveryAndAnExactCount()
    {
        for (final String lock : new String[]{"value", "separate"})
        {
            final Cli cli = Cli.run("lock-value", "--procs", "3", "--increments", "20000", "--lock", lock,
                "--kill-one");
            final String out = cli.out();
            assertEquals(0, cli.exitCode(), out + cli.err());
            assertTrue(out.contains("racer-2 will be killed holding the lock"), out);
            assertTrue(out.contains("killed    racer-2 (pid "), out);
            assertTrue(out.contains("holding the lock with its increment 10,001 of 20,000 half done"), out);
            final Matcher recovered = Pattern.compile("recovered (racer-0|racer-1|the parent) \\(pid \\d+\\) took " +
                "the lock from its dead holder \\d+ ms after the kill and saw ownerDied\\(\\); it repaired the " +
                "Value from the racers' own counts: ([\\d,]+) -> ([\\d,]+)").matcher(out);
            assertTrue(recovered.find(), out);
            assertEquals(number(recovered.group(3)) + 1, number(recovered.group(2)),
                "the repair undoes the dead holder's half-done increment: " + out);
            assertTrue(out.contains("expected 50,000 = 60,000 - 10,000 increments the dead never made"), out);
            assertTrue(out.contains("actual   50,000   (exact)"), out);
        }
    }

    @Test
    void lockValueKillOneAsJson()
    {
        final Cli cli = Cli.run("lock-value", "--procs", "2", "--increments", "10000", "--kill-one", "--json");
        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        final String out = cli.out();
        assertTrue(out.contains("\"planned\":20000,\"expected\":15000,\"actual\":15000,\"lost\":0,\"exact\":true"),
            out);
        assertTrue(out.contains("\"deaths\":[{\"racer\":\"racer-1\","), out);
        assertTrue(out.contains("\"exitCode\":-9,\"done\":5000,\"neverMade\":5000,\"killedByDemo\":true"), out);
        assertTrue(out.matches("(?s).*\"recovery\":\\{\"by\":\"(racer-0|the parent)\",\"pid\":\\d+,\"ownerDied\":true," +
            "\"msIntoRace\":[\\d.E-]+,\"msAfterKill\":[\\d.E-]+,\"repairedFrom\":\\d+,\"repairedTo\":\\d+}.*"), out);
    }

    /** A racer killed by someone else, at once as the race starts: the demo still finishes, exact, and says so. */
    @Test
    void aRacerKilledFromOutsideIsReportedAndTheCountStaysExact() throws Exception
    {
        final LockRace.Result result = LockRace.valueDemo(3, 20_000, LockRace.LockKind.OWN, false,
            racers -> racers.get(0).kill());
        assertEquals(1, result.deaths().size(), result.deaths().toString());
        final LockRace.Death death = result.deaths().get(0);
        assertEquals("racer-0", death.racer());
        assertEquals(-9, death.exitCode());
        assertEquals(60_000 - (20_000 - death.done()), result.expected());
        assertEquals(0, result.lost(), "the count is the sum of what the racers made: " + result);
    }

    @Test
    void theLectureDemosDoNotDependOnTheBenchmarks() throws Exception
    {
        // issue 15: benchmarks and chaos stand beside the CLI; only their own subcommands reach into them
        final Path classes = Path.of(LockDemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("mp4j/launcher");
        final List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                if (!name.endsWith(".class") || name.startsWith("BenchCommand") || name.startsWith("ChaosRoundCommand"))
                {
                    continue;
                }
                final String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertFalse(constants.contains("mp4j/launcher/bench/"), name + " refers to the benchmarks' package");
                assertFalse(constants.contains("mp4j/launcher/chaos/"), name + " refers to the chaos package");
                checked.add(name);
            }
        }
        for (final String demo : new String[]{"DaemonCommand.class", "LockValueCommand.class", "LockArrayCommand.class",
            "LockDemoCommand.class", "LockRace.class", "PoolCommand.class", "PoolAsyncCommand.class",
            "ThreadLocalCommand.class", "ThreadLocalAdvCommand.class", "ThreadQueueCommand.class"})
        {
            assertTrue(checked.contains(demo), demo + " was checked (found: " + checked + ")");
        }
    }

    private static long number(final String digits)
    {
        return Long.parseLong(digits.replace(",", ""));
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
        final Cli killWithoutLock = Cli.run("lock-value", "--kill-one", "--lock", "none");
        assertEquals(2, killWithoutLock.exitCode());
        assertTrue(killWithoutLock.err().contains("--kill-one needs a lock"), killWithoutLock.err());
        assertEquals(2, Cli.run("lock-value", "--kill-one", "--increments", "0").exitCode());
        assertEquals(2, Cli.run("lock-array", "--kill-one").exitCode(), "lock-array has no --kill-one");
    }
}
