package mp4j.launcher;

import mp4j.launcher.LockRace.LockKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lecture's {@code mp_lock_array.py}: N processes update a shared Array under its lock; the sum of the
 * elements is exact with a lock and short without.
 */
@Command(name = "lock-array",
    header = "mp_lock_array.py: N processes update a shared Array under its lock.", mixinStandardHelpOptions = true,
    description = {
        "mp_lock_array.py: N worker processes each add 1.0 to random elements of a shared Array('d') M times, " +
            "holding the Array's own lock (or a separate Lock, or none); then the elements' sum is checked."})
final class LockArrayCommand extends LockDemoCommand
{
    @Option(names = "--updates", defaultValue = "100000", paramLabel = "M",
        description = "Updates per process (default ${DEFAULT-VALUE}).")
    long updates;

    @Option(names = "--length", defaultValue = "1000", paramLabel = "L",
        description = "Elements of the Array (default ${DEFAULT-VALUE}).")
    int length;

    LockArrayCommand()
    {
        super("array", "Array", "updates");
    }

    @Override
    long opsPerProcess()
    {
        return updates;
    }

    @Override
    void checkOptions()
    {
        if (length < 1 || length > 10_000_000)
        {
            throw usage("--length must be 1..10000000, got " + length);
        }
    }

    @Override
    String headline(final String protection)
    {
        return String.format("%d processes x %,d random updates (+1.0) of a shared Array('d', %d), %s", procs,
            updates, length, protection);
    }

    @Override
    LockRace.Result race(final LockKind kind) throws InterruptedException
    {
        return LockRace.arrayDemo(procs, length, updates, kind);
    }
}
