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
 * The lecture's {@code mp_lock_value.py}: N processes increment one shared Value; with its own lock or a separate
 * one the total is exact, without a lock updates are lost.
 */
@Command(name = "lock-value",
    header = "mp_lock_value.py: N processes add to a shared Value, with and without a lock.",
    mixinStandardHelpOptions = true,
    description = {
        "mp_lock_value.py: N worker processes each add 1 to a shared Value('i') M times.",
        "With a lock (the Value's own RLock, or a separate Lock) the total is exact; without, updates are lost."})
final class LockValueCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--procs", defaultValue = "4", paramLabel = "N",
        description = "Worker processes (default ${DEFAULT-VALUE}).")
    int procs;

    @Option(names = "--increments", defaultValue = "100000", paramLabel = "M",
        description = "Increments per process (default ${DEFAULT-VALUE}).")
    long increments;

    @Option(names = "--lock", defaultValue = "value", paramLabel = "KIND",
        description = "value (the Value's own RLock, get_lock()), separate (a Lock passed to the workers) or " +
            "none (default ${DEFAULT-VALUE}).")
    String lock;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--cluster", paramLabel = "HOST:PORT_RANGE[,...]",
        description = "Run the tasks on an mp4j cluster ('launcher node'); --increments then defaults to 50.")
    String cluster;

    @Override
    public Integer call() throws Exception
    {
        final LockKind kind = LockDemo.kind(spec.commandLine(), lock, "value");
        LockDemo.checkProcs(spec.commandLine(), procs);
        if (increments < 0 || increments > 1_000_000_000L)
        {
            throw new ParameterException(spec.commandLine(), "--increments must be 0..1000000000, got " + increments);
        }
        if (cluster != null)
        {
            return ClusterDemos.lockValue(spec, cluster, procs, increments, lock, json);
        }
        if (!json)
        {
            System.out.printf("%d processes x %,d increments of one shared Value, %s%n", procs, increments,
                LockDemo.describe(kind, "Value"));
            System.out.flush();
        }
        final LockRace.Result result = LockRace.value(procs, increments, 0, kind);
        LockDemo.print(result, json, "increments", lock);
        return 0;
    }
}
