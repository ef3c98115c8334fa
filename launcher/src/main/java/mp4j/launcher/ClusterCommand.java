package mp4j.launcher;

import mp4j.cluster.ClusterConfig;
import mp4j.cluster.ClusterContext;
import mp4j.cluster.ClusterSnapshot;
import mp4j.cluster.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code launcher cluster}: joins an mp4j cluster as a client for a moment and shows its nodes (role, address,
 * pid, uptime, load) and the mp4j objects living on it, as {@code inspect} shows a session.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    header = "Shows the nodes and the mp4j objects of a cluster started with 'launcher node'.",
    description = {
        "Joins the cluster as a client for a moment and shows its nodes (role, address, pid, uptime, CPU load, heap,",
        "running jobs) and the mp4j objects on it (Values, Locks, Queues, ... with their state and who made them).",
        "--jvm-flags prints the flags a JVM of your own needs to join a cluster (ClusterContext.connect)."})
final class ClusterCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--discovery", defaultValue = ClusterConfig.DEFAULT_DISCOVERY, paramLabel = "HOST:PORT_RANGE[,...]",
        description = "Where the cluster's nodes listen (default ${DEFAULT-VALUE}).")
    String discovery;

    @Option(names = "--join-timeout", defaultValue = "10", paramLabel = "SECONDS",
        description = "How long to look for the cluster (default ${DEFAULT-VALUE}).")
    int joinTimeout;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--verbose", description = "Show Ignite's own logs.")
    boolean verbose;

    @Option(names = "--jvm-flags", description = "Print the JVM flags Ignite needs, as one line, and exit.")
    boolean jvmFlags;

    @Override
    public Integer call() throws Exception
    {
        if (jvmFlags)
        {
            System.out.println(JvmFlags.oneLine());
            return 0;
        }
        final ClusterConfig config = config(spec, discovery, joinTimeout, verbose);
        final Integer relaunched = ClusterJvm.relaunchIfNeeded(spec);
        if (relaunched != null)
        {
            return relaunched;
        }
        try (ClusterContext ctx = ClusterContext.connect(config))
        {
            final ClusterSnapshot snapshot = ctx.snapshot();
            if (json)
            {
                final Map<String, Object> out = new LinkedHashMap<>();
                out.put("discovery", config.discoveryText());
                out.put("nodes", snapshot.nodes());
                out.put("objects", snapshot.objects());
                System.out.println(Json.write(out));
            }
            else
            {
                print(config, snapshot);
            }
        }
        return 0;
    }

    static ClusterConfig config(final CommandSpec spec, final String discovery, final int joinTimeout,
        final boolean verbose)
    {
        if (joinTimeout < 1 || joinTimeout > 3600)
        {
            throw new ParameterException(spec.commandLine(), "--join-timeout must be 1..3600 seconds, got " + joinTimeout);
        }
        try
        {
            return ClusterConfig.discovery(discovery).joinTimeout(Duration.ofSeconds(joinTimeout)).verbose(verbose);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
    }

    private static void print(final ClusterConfig config, final ClusterSnapshot snapshot)
    {
        final List<Map<String, Object>> nodes = snapshot.nodes();
        final long servers = nodes.stream().filter(n -> "server".equals(n.get("role"))).count();
        System.out.printf("cluster at %s: %d server node(s), %d client(s)%n", config.discoveryText(), servers,
            nodes.size() - servers);
        System.out.printf("  %-8s  %-6s  %-22s  %-8s  %8s  %6s  %7s  %4s%n", "node", "role", "address", "pid", "uptime",
            "cpu", "heap", "jobs");
        for (final Map<String, Object> n : nodes)
        {
            System.out.printf("  %-8s  %-6s  %-22s  %-8s  %8s  %5.1f%%  %5sMB  %4s%s%n", n.get("node"), n.get("role"),
                n.get("address"), n.get("pid"), uptime(n.get("uptimeSeconds")), (Double)n.get("cpuLoadPercent"),
                n.get("heapUsedMB"), n.get("activeJobs"), Boolean.TRUE.equals(n.get("self")) ? "  (this command)" : "");
        }
        final List<Map<String, Object>> objects = snapshot.objects();
        System.out.println(objects.isEmpty() ? "no mp4j objects on the cluster" : "mp4j objects (" + objects.size() + "):");
        for (final Map<String, Object> o : objects)
        {
            System.out.printf("  %-26s %-16s %-12s %-30s made by %s, %s ago%n", o.get("name"), o.get("kind"),
                o.getOrDefault("detail", ""), o.get("state"), o.get("createdBy"), uptime(o.get("ageSeconds")));
        }
    }

    private static String uptime(final Object seconds)
    {
        if (!(seconds instanceof Number number))
        {
            return "?";
        }
        final long s = number.longValue();
        return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }
}
