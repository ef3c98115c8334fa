package mp4j.launcher;

import mp4j.launcher.chaos.ChaosEvents;
import mp4j.launcher.chaos.ChaosResult;
import mp4j.launcher.chaos.ChaosWorkload;
import mp4j.launcher.chaos.ChaosWorkloads;
import mp4j.session.Session;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Random;
import java.util.concurrent.Callable;

/** One round of scripts/chaos: runs a workload as the parent, reports pids and results as JSON lines. */
@Command(name = "chaos-round", mixinStandardHelpOptions = true, hidden = true,
    description = "One round of scripts/chaos (JSON lines on stdout); not for use by hand.")
final class ChaosRoundCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--list", description = "List the workloads.")
    boolean list;

    @Option(names = "--workload", description = "One of: ${COMPLETION-CANDIDATES}",
        completionCandidates = Names.class)
    String workload;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed for sizes.")
    long seed;

    static final class Names implements Iterable<String>
    {
        @Override
        public java.util.Iterator<String> iterator()
        {
            return ChaosWorkloads.all().keySet().iterator();
        }
    }

    @Override
    public Integer call() throws Exception
    {
        if (list)
        {
            ChaosWorkloads.all().keySet().forEach(System.out::println);
            return 0;
        }
        if (workload == null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workload is required");
        }
        final ChaosWorkload chosen = ChaosWorkloads.all().get(workload);
        if (chosen == null)
        {
            throw new UserException("no workload '" + workload + "'; known: " + ChaosWorkloads.all().keySet());
        }
        final ChaosEvents events = new ChaosEvents();
        events.emit("session", "file", Session.current().file().toString(), "pid", ProcessHandle.current().pid());
        final long t0 = System.nanoTime();
        ChaosResult result;
        try
        {
            result = chosen.run(new Random(seed), events);
        }
        catch (final Exception ex)
        {
            events.emit("done", "ok", false, "error", String.valueOf(ex));
            return 1;
        }
        events.emit("done", "ok", result.ok(), "checked", result.checked(), "lost", result.lost(),
            "duplicated", result.duplicated(), "wrong", result.wrong(), "failedCleanly", result.failedCleanly(),
            "detail", result.detail(), "seconds", (System.nanoTime() - t0) / 1e9);
        return result.ok() ? 0 : 1;
    }
}
