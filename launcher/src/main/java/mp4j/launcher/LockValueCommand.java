package mp4j.launcher;

import mp4j.launcher.LockRace.LockKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lecture's {@code mp_lock_value.py}: N processes increment one shared Value; with its own lock or a separate
 * one the total is exact, without a lock updates are lost. {@code --kill-one} shows what mp4j adds: a lock whose
 * holder is killed is taken over by the next process, which sees {@code ownerDied()} and repairs the count.
 */
@Command(name = "lock-value",
    header = "mp_lock_value.py: N processes add to a shared Value, with and without a lock.",
    mixinStandardHelpOptions = true,
    description = {
        "mp_lock_value.py: N worker processes each add 1 to a shared Value('i') M times. With a lock (the Value's " +
            "own RLock, or a separate Lock) the total is exact; without, updates are lost.",
        "Each process also counts its own increments, in the same critical section. With --kill-one, the last " +
            "one is killed (SIGKILL) while it holds the lock halfway through: the next holder sees ownerDied() and " +
            "repairs the Value from the counts, and the demo reports who recovered, when, and what the dead one " +
            "never made."})
final class LockValueCommand extends LockDemoCommand
{
    @Option(names = "--increments", defaultValue = "100000", paramLabel = "M",
        description = "Increments per process (default ${DEFAULT-VALUE}).")
    long increments;

    @Option(names = "--kill-one", description = "Kill the last process (SIGKILL) while it holds the lock, " +
        "halfway through its increments, and show the recovery.")
    boolean killOne;

    LockValueCommand()
    {
        super("value", "Value", "increments");
    }

    @Option(names = "--cluster", paramLabel = "HOST:PORT_RANGE[,...]",
        description = "Run the tasks on an mp4j cluster ('launcher node'); --increments then defaults to 50.")
    String cluster;

    @Override
    long opsPerProcess()
    {
        return increments;
    }

    @Override
    void checkOptions()
    {
        if (killOne && lock.equals("none"))
        {
            throw usage("--kill-one needs a lock to kill its holder: --lock value or separate, not none");
        }
        if (killOne && cluster != null)
        {
            throw usage("--kill-one runs on this machine's processes; it cannot be combined with --cluster");
        }
        if (killOne && increments < 1)
        {
            throw usage("--kill-one needs at least 1 increment per process, got " + increments);
        }
    }

    @Override
    Integer runElsewhere()
    {
        return cluster == null ? null : ClusterDemos.lockValue(spec, cluster, procs, increments, lock, json);
    }

    @Override
    String headline(final String protection)
    {
        return String.format("%d processes x %,d increments of one shared Value, %s%s", procs, increments, protection,
            killOne ? "; racer-" + (procs - 1) + " will be killed holding the lock" : "");
    }

    @Override
    LockRace.Result race(final LockKind kind) throws InterruptedException
    {
        return LockRace.valueDemo(procs, increments, kind, killOne);
    }
}
