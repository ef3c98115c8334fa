package mp4j.launcher;

import mp4j.launcher.bench.LockRace;
import mp4j.launcher.bench.LockRace.LockKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * The lecture's {@code mp_lock_array.py}: N processes update a shared Array under its lock; the sum of the
 * elements is exact with a lock and short without.
 */
@Command(name = "lock-array",
    header = "mp_lock_array.py: N processes update a shared Array under its lock.", mixinStandardHelpOptions = true,
    description = {
        "mp_lock_array.py: N worker processes each add 1.0 to random elements of a shared Array('d') M times,",
        "holding the Array's own lock (or a separate Lock, or none); then the elements' sum is checked."})
final class LockArrayCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--procs", defaultValue = "4", paramLabel = "N",
        description = "Worker processes (default ${DEFAULT-VALUE}).")
    int procs;

    @Option(names = "--updates", defaultValue = "100000", paramLabel = "M",
        description = "Updates per process (default ${DEFAULT-VALUE}).")
    long updates;

    @Option(names = "--length", defaultValue = "1000", paramLabel = "L",
        description = "Elements of the Array (default ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--lock", defaultValue = "array", paramLabel = "KIND",
        description = "array (the Array's own RLock, get_lock()), separate (a Lock passed to the workers) or " +
            "none (default ${DEFAULT-VALUE}).")
    String lock;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception
    {
        final LockKind kind = LockDemo.kind(spec.commandLine(), lock, "array");
        LockDemo.checkProcs(spec.commandLine(), procs);
        if (updates < 0 || updates > 1_000_000_000L)
        {
            throw new ParameterException(spec.commandLine(), "--updates must be 0..1000000000, got " + updates);
        }
        if (length < 1 || length > 10_000_000)
        {
            throw new ParameterException(spec.commandLine(), "--length must be 1..10000000, got " + length);
        }
        if (!json)
        {
            System.out.printf("%d processes x %,d random updates (+1.0) of a shared Array('d', %d), %s%n", procs,
                updates, length, LockDemo.describe(kind, "Array"));
            System.out.flush();
        }
        final LockRace.Result result = LockRace.array(procs, length, updates, 0, kind);
        LockDemo.print(result, json, "updates", lock);
        return 0;
    }
}
