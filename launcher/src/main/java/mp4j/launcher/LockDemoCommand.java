package mp4j.launcher;

import mp4j.launcher.LockRace.LockKind;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What lock-value and lock-array share: N processes race to update one shared object, under its own lock, a
 * separate one or none; their options, their checks and what they print. Each subclass says what is shared and
 * what one update is.
 */
abstract class LockDemoCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--procs", defaultValue = "4", paramLabel = "N",
        description = "Worker processes (default ${DEFAULT-VALUE}).")
    int procs;

    @Option(names = "--lock", paramLabel = "KIND",
        description = "${DEFAULT-VALUE} (the shared object's own RLock, get_lock()), separate (a Lock passed to " +
            "the workers) or none (default ${DEFAULT-VALUE}).")
    String lock;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    /** What {@code --lock} calls the shared object's own lock: "value" or "array". */
    private final String own;
    /** The shared object, as a person reads it: "Value" or "Array". */
    private final String what;
    /** One update, plural, as the output names it: "increments" or "updates". */
    private final String ops;

    LockDemoCommand(final String own, final String what, final String ops)
    {
        this.own = own;
        this.what = what;
        this.ops = ops;
        this.lock = own; // picocli shows a field's first value as its default
    }

    /** Updates each process makes. */
    abstract long opsPerProcess();

    /** Checks the subclass's own options; throws a {@link ParameterException}. */
    abstract void checkOptions();

    /** The first line: what races, and how it is protected. */
    abstract String headline(String protection);

    abstract LockRace.Result race(LockKind kind) throws InterruptedException;

    /** Runs the demo somewhere else than in this machine's processes (a cluster) and returns its exit code, or null. */
    Integer runElsewhere()
    {
        return null;
    }

    @Override
    public Integer call() throws Exception
    {
        final LockKind kind = kind();
        if (procs < 1 || procs > 60)
        {
            throw usage("--procs must be 1..60, got " + procs);
        }
        if (opsPerProcess() < 0 || opsPerProcess() > 1_000_000_000L)
        {
            throw usage("--" + ops + " must be 0..1000000000, got " + opsPerProcess());
        }
        checkOptions();
        final Integer elsewhere = runElsewhere();
        if (elsewhere != null)
        {
            return elsewhere;
        }
        if (!json)
        {
            System.out.println(headline(describe(kind)));
            System.out.flush();
        }
        final LockRace.Result result = race(kind);
        if (json)
        {
            System.out.println(Json.write(toJson(result)));
        }
        else
        {
            print(result);
        }
        return 0;
    }

    ParameterException usage(final String message)
    {
        return new ParameterException(spec.commandLine(), message);
    }

    private LockKind kind()
    {
        if (lock.equals(own))
        {
            return LockKind.OWN;
        }
        return switch (lock)
        {
            case "separate" -> LockKind.SEPARATE;
            case "none" -> LockKind.NONE;
            default -> throw usage("--lock must be " + own + ", separate or none, got '" + lock + "'");
        };
    }

    private String describe(final LockKind kind)
    {
        return switch (kind)
        {
            case OWN -> "each under the " + what + "'s own lock (get_lock(), an RLock)";
            case SEPARATE -> "each under a separate Lock passed to the workers";
            case NONE -> "with no lock (expect lost updates)";
        };
    }

    private Map<String, Object> toJson(final LockRace.Result result)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("procs", result.procs());
        out.put(ops, opsPerProcess());
        out.put("lock", lock);
        out.put("planned", result.planned());
        out.put("expected", result.expected());
        out.put("actual", result.actual());
        out.put("lost", result.lost());
        out.put("exact", result.lost() == 0);
        out.put("seconds", result.seconds());
        out.put("opsPerSecond", result.opsPerSecond());
        out.put("cpuSeconds", result.cpuSeconds());
        out.put("nanosPerProcess", result.nanosPerProcess());
        out.put("deaths", result.deaths().stream().map(death ->
        {
            final Map<String, Object> d = new LinkedHashMap<>();
            d.put("racer", death.racer());
            d.put("pid", death.pid());
            d.put("exitCode", death.exitCode());
            d.put("done", death.done());
            d.put("neverMade", opsPerProcess() - death.done());
            d.put("killedByDemo", death.killedNs() != 0);
            if (death.killedNs() != 0)
            {
                d.put("killedMsIntoRace", millis(death.killedNs() - result.startNs()));
            }
            return d;
        }).toList());
        final LockRace.Recovery recovery = result.recovery();
        if (recovery != null)
        {
            final Map<String, Object> r = new LinkedHashMap<>();
            r.put("by", recovery.by());
            r.put("pid", recovery.pid());
            r.put("ownerDied", true);
            r.put("msIntoRace", millis(recovery.atNs() - result.startNs()));
            killedAt(result).ifPresent(killed -> r.put("msAfterKill", millis(recovery.atNs() - killed)));
            if (recovery.repairedTo() >= 0)
            {
                r.put("repairedFrom", recovery.repairedFrom());
                r.put("repairedTo", recovery.repairedTo());
            }
            out.put("recovery", r);
        }
        return out;
    }

    private void print(final LockRace.Result result)
    {
        for (final LockRace.Death death : result.deaths())
        {
            if (death.killedNs() != 0)
            {
                System.out.printf("killed    %s (pid %d) with SIGKILL %.0f ms into the race, holding the lock with " +
                    "its %s %,d of %,d half done (the %s written, its own count not)%n", death.racer(), death.pid(),
                    millis(death.killedNs() - result.startNs()), singular(), death.done() + 1, opsPerProcess(), what);
            }
            else
            {
                System.out.printf("died      %s (pid %d), exit code %d, after %,d of its %,d %s%n", death.racer(),
                    death.pid(), death.exitCode(), death.done(), opsPerProcess(), ops);
            }
        }
        final LockRace.Recovery recovery = result.recovery();
        if (recovery != null)
        {
            final String when = killedAt(result)
                .map(killed -> String.format("%.0f ms after the kill", millis(recovery.atNs() - killed)))
                .orElse(String.format("%.0f ms into the race", millis(recovery.atNs() - result.startNs())));
            System.out.printf("recovered %s (pid %d) took the lock from its dead holder %s and saw ownerDied()%s%n",
                recovery.by(), recovery.pid(), when, recovery.repairedTo() < 0 ? "" : String.format(
                    "; it repaired the %s from the racers' own counts: %,d -> %,d", what, recovery.repairedFrom(),
                    recovery.repairedTo()));
        }
        else if (!result.deaths().isEmpty() && !lock.equals("none"))
        {
            System.out.println("recovered nobody had to: no racer died holding the lock");
        }
        if (result.deaths().isEmpty())
        {
            System.out.printf("expected %,d%n", result.expected());
        }
        else
        {
            System.out.printf("expected %,d = %,d - %,d %s the dead never made%s%n", result.expected(),
                result.planned(), result.planned() - result.expected(), ops,
                recovery != null && recovery.repairedTo() >= 0 ? " (the half-done one was undone by the repair)" : "");
        }
        System.out.printf("actual   %,d   %s%n", result.actual(), verdict(result));
        System.out.printf("time     %.3f s  (%.2f M updates/s; worker CPU %.2f s in total, %.0f%% of %d x wall)%n",
            result.seconds(), result.opsPerSecond() / 1e6, result.cpuSeconds(),
            100 * result.cpuSeconds() / Math.max(1e-9, result.seconds() * result.procs()), result.procs());
    }

    private String verdict(final LockRace.Result result)
    {
        if (result.lost() == 0)
        {
            return "(exact)";
        }
        if (result.lost() == -1 && !result.deaths().isEmpty() && !lock.equals("none"))
        {
            return "(1 more: the " + singular() + " a dead racer had made under the lock but not yet counted)";
        }
        return "(" + String.format("%,d", result.lost()) + " updates lost: read-modify-write without a lock races)";
    }

    private String singular()
    {
        return ops.substring(0, ops.length() - 1);
    }

    private static java.util.Optional<Long> killedAt(final LockRace.Result result)
    {
        return result.deaths().stream().map(LockRace.Death::killedNs).filter(ns -> ns != 0).findFirst();
    }

    private static double millis(final long nanos)
    {
        return nanos / 1e6;
    }
}
