package mp4j.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Python's {@code multiprocessing.Manager()} at work: N worker JVMs count into one {@code manager.dict()}, append
 * their pids to a {@code manager.list()} and count themselves in a Namespace; the totals must be exact.
 */
@Command(name = "manager",
    header = "Manager(): N processes count into a shared dict, list and Namespace; totals must be exact.",
    mixinStandardHelpOptions = true,
    description = {
        "N worker JVMs each add 1 to counters in one manager.dict() K times (spread over the keys a..e),",
        "append their pid to a manager.list() and count themselves in a manager.Namespace(); then the totals are",
        "printed against the expected ones, with the rate. --mode merge: d.merge(k, 1, Long::sum), atomic across",
        "processes; --mode locked: Python's way, with manager.Lock(): d[k] = d.get(k, 0) + 1."})
final class ManagerCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--procs", defaultValue = "4", paramLabel = "N",
        description = "Worker processes (default ${DEFAULT-VALUE}).")
    int procs;

    @Option(names = "--increments", defaultValue = "100000", paramLabel = "K",
        description = "Increments per process (default ${DEFAULT-VALUE}).")
    long increments;

    @Option(names = "--mode", defaultValue = "merge", paramLabel = "MODE",
        description = "merge (atomic d.merge) or locked (a manager Lock around get and put); default ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception
    {
        if (procs < 1 || procs > 60)
        {
            throw new ParameterException(spec.commandLine(), "--procs must be 1..60, got " + procs);
        }
        if (increments < 0 || increments > 1_000_000_000L)
        {
            throw new ParameterException(spec.commandLine(), "--increments must be 0..1000000000, got " + increments);
        }
        final ManagerRace.Mode chosen = switch (mode)
        {
            case "merge" -> ManagerRace.Mode.MERGE;
            case "locked" -> ManagerRace.Mode.LOCKED;
            default -> throw new ParameterException(spec.commandLine(),
                "--mode must be merge or locked, got '" + mode + "'");
        };
        if (!json)
        {
            System.out.printf("%d processes x %,d increments of counters in a manager.dict(), each %s%n", procs,
                increments, chosen == ManagerRace.Mode.MERGE ? "with d.merge(k, 1, Long::sum) (atomic)" :
                    "as Python: with lock: d[k] = d.get(k, 0) + 1 (lock = manager.Lock())");
            System.out.flush();
        }
        final ManagerRace.Result result = ManagerRace.run(procs, increments, 0, chosen);
        final long expected = procs * increments;
        final boolean ok = result.actual() == expected && result.check().ok() && result.pids().size() == procs;
        if (json)
        {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("procs", procs);
            out.put("increments", increments);
            out.put("mode", mode);
            out.put("expected", expected);
            out.put("actual", result.actual());
            out.put("ok", ok);
            out.put("opsPerSecond", result.opsPerSecond());
            out.put("seconds", result.seconds());
            out.put("cpuSeconds", result.cpuSeconds());
            out.put("counters", result.counters());
            out.put("pids", result.pids());
            out.put("namespace", result.namespace());
            out.put("blocksLost", result.check().leaked());
            System.out.println(Json.write(out));
            return ok ? 0 : 1;
        }
        System.out.printf("counters  %s%n", result.counters());
        System.out.printf("expected  %,d%n", expected);
        System.out.printf("actual    %,d   %s%n", result.actual(), result.actual() == expected ? "(exact)" :
            "(" + String.format("%,d", expected - result.actual()) + " increments lost)");
        System.out.printf("pids      %s   (a manager.list(): one append per worker)%n", result.pids());
        System.out.printf("namespace %s%n", result.namespace());
        System.out.printf("time      %.3f s  (%,.0f increments/s; worker CPU %.2f s in total)%n", result.seconds(),
            result.opsPerSecond(), result.cpuSeconds());
        if (!result.check().ok())
        {
            System.out.println("manager   NOT WHOLE: " + result.check());
        }
        return ok ? 0 : 1;
    }
}
