package mp4j.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The main class of a server node's JVM ({@code launcher node} starts it with the JVM flags Ignite needs): starts
 * the node, prints one line ({@value #READY_PREFIX} ...) with its address, and serves until it is stopped (Ctrl-C,
 * SIGTERM, or the end of the parent process given with {@code --parent-pid}); then stops the node and removes its
 * work folder. Exit code 0 after a normal stop, 1 when the node could not start (the reason on standard error),
 * 2 for bad arguments.
 * <pre>
 * NodeMain [--port PORT] [--discovery HOST:PORT..PORT,...] [--host ADDRESS] [--work-dir DIR] [--memory MB]
 *          [--join-timeout SECONDS] [--parent-pid PID] [--verbose]
 * </pre>
 * Without {@code --discovery} the node looks on this machine only: {@code 127.0.0.1:PORT..PORT+9}.
 */
public final class NodeMain
{
    /** The first words of the line a node prints once it serves. */
    public static final String READY_PREFIX = "mp4j node ";

    private NodeMain()
    {
    }

    /**
     * Runs a server node until it is stopped, then exits (0, 1 or 2, as the class says).
     *
     * @param args the options above; an unknown one, a missing value or a bad number exits with 2.
     */
    public static void main(final String[] args)
    {
        final ClusterConfig config;
        long parentPid = -1;
        try
        {
            String discovery = null;
            int port = ClusterConfig.DEFAULT_DISCOVERY_PORT;
            String host = null;
            Path workDir = null;
            int memory = ClusterConfig.DEFAULT_DATA_REGION_MB;
            int joinTimeout = ClusterConfig.DEFAULT_JOIN_TIMEOUT_S;
            boolean verbose = false;
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--discovery" -> discovery = value(args, ++i);
                    case "--port" -> port = Integer.parseInt(value(args, ++i));
                    case "--host" -> host = value(args, ++i);
                    case "--work-dir" -> workDir = Path.of(value(args, ++i));
                    case "--memory" -> memory = Integer.parseInt(value(args, ++i));
                    case "--join-timeout" -> joinTimeout = Integer.parseInt(value(args, ++i));
                    case "--parent-pid" -> parentPid = Long.parseLong(value(args, ++i));
                    case "--verbose" -> verbose = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            config = ClusterConfig.discovery(discovery != null ? discovery : ClusterConfig.loopbackRange(port))
                .port(port).host(host).workDir(workDir).dataRegionMegabytes(memory)
                .joinTimeout(Duration.ofSeconds(joinTimeout)).verbose(verbose);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("error: " + ex.getMessage());
            System.exit(2);
            return;
        }
        final ClusterServer server;
        try
        {
            server = ClusterServer.start(config);
        }
        catch (final RuntimeException ex)
        {
            System.err.println("error: " + ex.getMessage());
            if (Boolean.getBoolean("mp4j.debug"))
            {
                ex.printStackTrace();
            }
            System.exit(1);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.close();
            stopped.countDown();
        }, "mp4j-node-stop"));
        if (parentPid > 0)
        {
            // started by 'launcher node': go with it, even when it was killed (SIGKILL runs no hook there)
            ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        }
        System.out.println(READY_PREFIX + shortId(server) + " on " + server.address() + " (pid " +
            ProcessHandle.current().pid() + "): " + server.servers() + " server node(s) in the cluster; discovery " +
            config.discoveryText() + "; stop with Ctrl-C");
        System.out.flush();
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static String shortId(final ClusterServer server)
    {
        return server.ignite().cluster().localNode().id().toString().substring(0, 8);
    }

    private static String value(final String[] args, final int i)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
