package mp4j.launcher;

import mp4j.cluster.ClusterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code launcher node}: starts an Apache Ignite server node of an mp4j cluster in a JVM of its own (given the JVM
 * flags Ignite needs), prints one line with its address, and serves until stopped (Ctrl-C); the node goes with
 * this command, also when it is killed.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    header = "Starts a server node of an mp4j cluster (Apache Ignite) and serves until stopped.",
    description = {
        "Starts a server node of an mp4j cluster: a JVM of its own with the flags Ignite needs. It prints one line",
        "with its address, then serves tasks and objects of 'pool --cluster', 'lock-value --cluster' and programs",
        "using ClusterContext, until Ctrl-C. On one machine: run it two or three times (each takes the next free port",
        "of 47500..47509). On several hosts: give every node the same --discovery list and its own --host.",
        "It binds 127.0.0.1 unless --host says otherwise; nothing is multicast. Its work folder is under the system",
        "temp folder and removed when it stops. docs/cluster.md explains ports and firewalls."})
final class NodeCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "47500", paramLabel = "PORT",
        description = "First of the 10 discovery ports this node may take (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--discovery", paramLabel = "HOST:PORT_RANGE[,...]",
        description = "Where the cluster's nodes listen (default: this machine, 127.0.0.1:PORT..PORT+9). A first node " +
            "must be in its own list; a node that finds nobody there fails after --join-timeout.")
    String discovery;

    @Option(names = "--host", paramLabel = "ADDRESS",
        description = "The address this node binds and gives the others (default 127.0.0.1 when every discovery " +
            "host is local).")
    String host;

    @Option(names = "--work-dir", paramLabel = "DIR",
        description = "Folder for the node's work files (default: the system temp folder); removed at a normal stop.")
    String workDir;

    @Option(names = "--memory", defaultValue = "256", paramLabel = "MB",
        description = "Most off-heap memory for the cluster's data on this node (default ${DEFAULT-VALUE} MB).")
    int memory;

    @Option(names = "--heap", defaultValue = "512m", paramLabel = "SIZE",
        description = "The node JVM's -Xmx (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--join-timeout", defaultValue = "10", paramLabel = "SECONDS",
        description = "How long to look for the cluster before failing (default ${DEFAULT-VALUE}).")
    int joinTimeout;

    @Option(names = "--verbose", description = "Show Ignite's own logs (banner, INFO).")
    boolean verbose;

    @Override
    public Integer call() throws Exception
    {
        final String list = discovery != null ? discovery : ClusterConfig.loopbackRange(port);
        try
        {
            ClusterConfig.discovery(list).port(port).dataRegionMegabytes(memory)
                .joinTimeout(java.time.Duration.ofSeconds(Math.max(1, joinTimeout)));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        if (joinTimeout < 1 || joinTimeout > 3600)
        {
            throw new ParameterException(spec.commandLine(), "--join-timeout must be 1..3600 seconds, got " + joinTimeout);
        }
        if (!heap.matches("\\d+[mMgG]"))
        {
            throw new ParameterException(spec.commandLine(), "--heap must be a size such as 512m or 2g, got '" + heap + "'");
        }
        final List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--discovery", list,
            "--memory", Integer.toString(memory), "--join-timeout", Integer.toString(joinTimeout),
            "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        if (host != null)
        {
            args.addAll(List.of("--host", host));
        }
        if (workDir != null)
        {
            args.addAll(List.of("--work-dir", workDir));
        }
        if (verbose)
        {
            args.add("--verbose");
        }
        final Process node = new ProcessBuilder(ClusterJvm.nodeCommand(heap, args)).inheritIO().start();
        final Thread stop = new Thread(() ->
        {
            node.destroy(); // SIGTERM: it stops its Ignite node and removes its work folder
            try
            {
                node.waitFor();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "mp4j-node-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        final int code = node.waitFor();
        try
        {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
        catch (final IllegalStateException ex)
        {
            // exiting anyway
        }
        return code == 143 || code == 130 ? 0 : code; // stopped by a signal it handled: a normal stop
    }
}
