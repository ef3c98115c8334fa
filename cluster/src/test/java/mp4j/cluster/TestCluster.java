package mp4j.cluster;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One cluster for a test class: {@code servers} node JVMs ({@link NodeMain}, started as {@code launcher node}
 * starts them) on 127.0.0.1 only, on a free port range of their own, and a client context in the test JVM. Stops
 * them all after the class, also when it failed (and the nodes go by themselves if the test JVM dies: they watch
 * it). {@code -Dmp4j.cluster.tests=false} skips the class, saying so.
 * <pre>{@code
 * @RegisterExtension
 * static final TestCluster cluster = new TestCluster(3);
 * }</pre>
 */
final class TestCluster implements BeforeAllCallback, AfterAllCallback, ExecutionCondition
{
    static final String SKIP_PROPERTY = "mp4j.cluster.tests";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final int servers;
    private final List<Process> nodes = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    private int port;
    private Path logs;
    private ClusterContext context;

    TestCluster(final int servers)
    {
        this.servers = servers;
    }

    static final String SKIPPED = "cluster tests skipped (-D" + SKIP_PROPERTY + "=false): they start Ignite node " +
        "JVMs on 127.0.0.1";

    static boolean enabled()
    {
        return !"false".equalsIgnoreCase(System.getProperty(SKIP_PROPERTY, "true"));
    }

    /** Skips the calling test when the cluster tests are turned off, with the reason in the report. */
    static void assumeEnabled()
    {
        Assumptions.assumeTrue(enabled(), SKIPPED);
    }

    /** The whole class is reported skipped, with the reason, when the cluster tests are turned off. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(final ExtensionContext extension)
    {
        if (enabled())
        {
            return ConditionEvaluationResult.enabled("cluster tests on");
        }
        System.out.println(extension.getDisplayName() + ": " + SKIPPED);
        return ConditionEvaluationResult.disabled(SKIPPED);
    }

    @Override
    public void beforeAll(final ExtensionContext extension) throws Exception
    {
        assumeEnabled();
        port = freePortRange();
        logs = Path.of("target", "cluster-nodes", extension.getRequiredTestClass().getSimpleName());
        Files.createDirectories(logs);
        startNode(); // the first forms the cluster; the others join it together
        final List<Process> joining = new ArrayList<>();
        for (int i = 1; i < servers; i++)
        {
            joining.add(launch());
        }
        for (final Process process : joining)
        {
            awaitReady(process);
        }
        context = ClusterContext.connect(config());
        awaitServers(servers);
    }

    ClusterConfig config()
    {
        return ClusterConfig.discovery(discovery()).joinTimeout(Duration.ofSeconds(60));
    }

    String discovery()
    {
        return ClusterConfig.loopbackRange(port);
    }

    ClusterContext context()
    {
        return context;
    }

    /** The pids of the node JVMs alive now. */
    synchronized List<Long> alivePids()
    {
        final List<Long> alive = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++)
        {
            if (nodes.get(i).isAlive())
            {
                alive.add(pids.get(i));
            }
        }
        return alive;
    }

    /** kill -9 the node JVM with {@code pid}; returns false when it is not one of this cluster's nodes. */
    synchronized boolean kill(final long pid) throws InterruptedException
    {
        final int i = pids.indexOf(pid);
        if (i < 0)
        {
            return false;
        }
        nodes.get(i).destroyForcibly(); // SIGKILL: no hook runs, as with kill -9
        nodes.get(i).waitFor(30, TimeUnit.SECONDS);
        return true;
    }

    /** Makes sure at least {@code count} server nodes are in the cluster, starting nodes when fewer are alive. */
    void awaitAtLeast(final int count) throws Exception
    {
        while (alivePids().size() < count)
        {
            startNode();
        }
        awaitServers(alivePids().size());
    }

    /** Starts nodes until {@code servers} are alive and in the cluster. */
    void restore() throws Exception
    {
        while (alivePids().size() < servers)
        {
            startNode();
        }
        awaitServers(servers);
    }

    void awaitServers(final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (context.servers() != count)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the cluster has " + context.servers() + " server nodes, not " + count);
            }
            Thread.sleep(50);
        }
    }

    private void startNode() throws IOException, InterruptedException
    {
        awaitReady(launch());
    }

    private synchronized Process launch() throws IOException
    {
        final int n = nodes.size();
        final List<String> command = NodeProcess.command(null, "256m", List.of("--port", Integer.toString(port),
            "--memory", "64", "--join-timeout", "60", "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        final Process process = new ProcessBuilder(command)
            .redirectOutput(logs.resolve("node-" + n + ".out").toFile())
            .redirectError(logs.resolve("node-" + n + ".err").toFile())
            .start();
        nodes.add(process);
        pids.add(process.pid());
        return process;
    }

    private void awaitReady(final Process process) throws IOException, InterruptedException
    {
        final int n = nodes.indexOf(process);
        final Path out = logs.resolve("node-" + n + ".out");
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true)
        {
            final String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            if (text.startsWith(NodeMain.READY_PREFIX))
            {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline)
            {
                final String err = Files.readString(logs.resolve("node-" + n + ".err"), StandardCharsets.UTF_8);
                throw new IllegalStateException("node " + n + " did not start (" + (process.isAlive() ? "timeout" :
                    "exit " + process.exitValue()) + "): " + text + err);
            }
            Thread.sleep(50);
        }
    }

    /** A random range of 10 free ports on 127.0.0.1, clear of Ignite's defaults (47100.., 47500..). */
    private static int freePortRange() throws IOException
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final int base = 20_000 + 10 * ThreadLocalRandom.current().nextInt(2_000);
            if (free(base, 10))
            {
                return base;
            }
        }
        throw new IOException("no free range of 10 ports found on 127.0.0.1");
    }

    private static boolean free(final int base, final int count)
    {
        for (int p = base; p < base + count; p++)
        {
            try (ServerSocket socket = new ServerSocket(p, 1, InetAddress.getLoopbackAddress()))
            {
                socket.setReuseAddress(true);
            }
            catch (final IOException ex)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public void afterAll(final ExtensionContext extension) throws Exception
    {
        if (context != null)
        {
            context.close();
        }
        for (final Process process : nodes)
        {
            process.destroy(); // SIGTERM: the node stops and removes its work folder
        }
        for (final Process process : nodes)
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        WorkDirs.sweepStale(Path.of(System.getProperty("java.io.tmpdir"))); // the folders of nodes killed by tests
    }
}
