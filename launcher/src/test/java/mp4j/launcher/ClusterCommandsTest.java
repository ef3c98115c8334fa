package mp4j.launcher;

import mp4j.cluster.ClusterContext;
import mp4j.context.Context;
import mp4j.pool.ProcessPool;
import mp4j.queues.SharedQueue;
import mp4j.sharedctypes.SharedValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The launcher's cluster commands as a user runs them: two {@code launcher node} processes on 127.0.0.1 (each
 * starting its node JVM), then {@code cluster --json}, {@code pool --cluster --json} and
 * {@code lock-value --cluster --json} in this JVM. The nodes are stopped after the class, also when it failed.
 * {@code -Dmp4j.cluster.tests=false} skips it.
 */
@DisabledIfSystemProperty(named = "mp4j.cluster.tests", matches = "false",
    disabledReason = "cluster tests skipped (-Dmp4j.cluster.tests=false): they start Ignite node JVMs on 127.0.0.1")
@SuppressWarnings("try") // acquired() in try-with-resources, as users write it: the held handle goes unused
class ClusterCommandsTest
{
    private static final Pattern READY = Pattern.compile("mp4j node \\w+ on 127\\.0\\.0\\.1:(\\d+) \\(pid (\\d+)\\)");
    private static final List<Process> launchers = new ArrayList<>();
    private static final List<Long> nodePids = new ArrayList<>();
    private static String discovery;

    @BeforeAll
    static void startTwoNodes() throws Exception
    {
        final int port = freePortRange();
        discovery = "127.0.0.1:" + port + ".." + (port + 9);
        final Path logs = Path.of("target", "cluster-nodes");
        Files.createDirectories(logs);
        for (int i = 0; i < 2; i++)
        {
            final Path out = logs.resolve("launcher-node-" + i + ".out");
            final Process launcher = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Launcher.class.getName(), "node", "--port",
                Integer.toString(port), "--memory", "64", "--heap", "256m", "--join-timeout", "60"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            launchers.add(launcher);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (true)
            {
                final Matcher m = READY.matcher(Files.readString(out, StandardCharsets.UTF_8));
                if (m.find())
                {
                    nodePids.add(Long.parseLong(m.group(2)));
                    break;
                }
                assertTrue(launcher.isAlive() && System.nanoTime() < deadline,
                    () -> "launcher node did not print its line: " + read(out));
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopNodes() throws Exception
    {
        for (final Process launcher : launchers)
        {
            launcher.destroy(); // as Ctrl-C: it stops its node JVM, which removes its work folder
        }
        for (final Process launcher : launchers)
        {
            if (!launcher.waitFor(60, TimeUnit.SECONDS))
            {
                launcher.destroyForcibly();
            }
        }
        for (final long pid : nodePids)
        {
            final ProcessHandle node = ProcessHandle.of(pid).orElse(null);
            if (node != null)
            {
                node.onExit().get(60, TimeUnit.SECONDS); // the node goes with its launcher
            }
        }
    }

    @Test
    void clusterShowsTheNodes()
    {
        final Cli cli = Cli.run("cluster", "--discovery", discovery, "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        for (final long pid : nodePids)
        {
            assertTrue(cli.out().contains("\"pid\":" + pid), cli.out());
        }
        assertTrue(cli.out().contains("\"role\":\"server\""), cli.out());
        final Cli flags = Cli.run("cluster", "--jvm-flags");
        assertEquals(0, flags.exitCode());
        assertTrue(flags.out().contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), flags.out());
    }

    @Test
    void poolRunsItsTasksOnTheNodes()
    {
        final Cli cli = Cli.run("pool", "--cluster", discovery, "--procs", "4", "--tasks", "24", "--work", "20000",
            "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        final String json = cli.out().strip();
        assertTrue(json.contains("\"ok\":true"), json);
        assertTrue(json.contains("\"reruns\":0"), json);
        assertTrue(json.contains("\"node\":"), "each worker names its node: " + json);
        assertTrue(nodePids.stream().anyMatch(pid -> json.contains("\"pid\":" + pid)), json);
        assertTrue(json.contains("\"procs\":4") && json.contains("\"tasks\":24") && json.contains("\"workers\":["), json);
    }

    @Test
    void lockValueIsExactOnTheCluster()
    {
        final Cli cli = Cli.run("lock-value", "--cluster", discovery, "--procs", "3", "--increments", "10", "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("\"expected\":30"), cli.out());
        assertTrue(cli.out().contains("\"exact\":true"), cli.out());
    }

    /** One program, written against {@link Context} only. */
    private static List<Object> program(final Context ctx) throws Exception
    {
        final SharedValue total = ctx.value('q', 0);
        final SharedQueue seen = ctx.queue();
        final List<Integer> squares;
        try (ProcessPool pool = ctx.pool(2))
        {
            squares = pool.map((Integer x) ->
            {
                try (var held = total.getLock().acquired())
                {
                    total.set(total.get() + x);
                }
                seen.put(x);
                return x * x;
            }, List.of(1, 2, 3, 4, 5), 1);
        }
        final List<Object> items = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            items.add(seen.get(true, 60_000));
        }
        items.sort((a, b) -> (Integer)a - (Integer)b);
        return List.of(squares, total.get(), items);
    }

    @Test
    void theSameProgramRunsInBothContexts() throws Exception
    {
        final List<Object> local = program(Context.local());
        try (ClusterContext cluster = ClusterContext.connect(discovery))
        {
            assertEquals(local, program(cluster), "switching is one line: the results are the same");
        }
        assertEquals(List.of(List.of(1, 4, 9, 16, 25), 15L, List.of(1, 2, 3, 4, 5)), local);
    }

    @Test
    void aBadClusterAddressIsAUsageError()
    {
        final Cli cli = Cli.run("pool", "--cluster", "127.0.0.1:notaport", "--json");
        assertEquals(2, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.err().contains("127.0.0.1:notaport"), cli.err());
    }

    private static int freePortRange() throws IOException
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final int base = 40_000 + 10 * ThreadLocalRandom.current().nextInt(1_000);
            boolean free = true;
            for (int p = base; p < base + 10 && free; p++)
            {
                try (ServerSocket socket = new ServerSocket(p, 1, InetAddress.getLoopbackAddress()))
                {
                    socket.setReuseAddress(true);
                }
                catch (final IOException ex)
                {
                    free = false;
                }
            }
            if (free)
            {
                return base;
            }
        }
        throw new IOException("no free range of 10 ports on 127.0.0.1");
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return "(" + ex + ")";
        }
    }
}
