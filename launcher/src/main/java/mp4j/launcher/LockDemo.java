package mp4j.launcher;

import mp4j.launcher.bench.LockRace;
import mp4j.launcher.bench.LockRace.LockKind;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.util.LinkedHashMap;
import java.util.Map;

/** What lock-value and lock-array share: their --lock and --procs checks and their output. */
final class LockDemo
{
    private LockDemo()
    {
    }

    static LockKind kind(final CommandLine cli, final String lock, final String own)
    {
        if (lock.equals(own))
        {
            return LockKind.OWN;
        }
        return switch (lock)
        {
            case "separate" -> LockKind.SEPARATE;
            case "none" -> LockKind.NONE;
            default -> throw new ParameterException(cli,
                "--lock must be " + own + ", separate or none, got '" + lock + "'");
        };
    }

    static void checkProcs(final CommandLine cli, final int procs)
    {
        if (procs < 1 || procs > 60)
        {
            throw new ParameterException(cli, "--procs must be 1..60, got " + procs);
        }
    }

    static String describe(final LockKind kind, final String what)
    {
        return switch (kind)
        {
            case OWN -> "each under the " + what + "'s own lock (get_lock(), an RLock)";
            case SEPARATE -> "each under a separate Lock passed to the workers";
            case NONE -> "with no lock (expect lost updates)";
        };
    }

    static void print(final LockRace.Result result, final boolean json, final String ops, final String lock)
    {
        if (json)
        {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("procs", result.procs());
            out.put(ops, result.opsPerProcess().length == 0 ? 0 : result.opsPerProcess()[0]);
            out.put("lock", lock);
            out.put("expected", result.expected());
            out.put("actual", result.actual());
            out.put("lost", result.lost());
            out.put("exact", result.lost() == 0);
            out.put("seconds", result.seconds());
            out.put("opsPerSecond", result.opsPerSecond());
            out.put("cpuSeconds", result.cpuSeconds());
            out.put("nanosPerProcess", result.nanosPerProcess());
            System.out.println(Json.write(out));
            return;
        }
        System.out.printf("expected %,d%n", result.expected());
        System.out.printf("actual   %,d   %s%n", result.actual(), result.lost() == 0 ? "(exact)" :
            "(" + String.format("%,d", result.lost()) + " updates lost: read-modify-write without a lock races)");
        System.out.printf("time     %.3f s  (%.2f M updates/s; worker CPU %.2f s in total, %.0f%% of %d x wall)%n",
            result.seconds(), result.opsPerSecond() / 1e6, result.cpuSeconds(),
            100 * result.cpuSeconds() / Math.max(1e-9, result.seconds() * result.procs()), result.procs());
    }
}
