package mp4j.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Starting nodes and clients: mp4j's flag list is the one the build uses, a JVM without the flags is told which
 * to add, a bad discovery list is refused with its reason, and a node or client that finds nobody at its discovery
 * addresses fails with a clear error after its join timeout instead of waiting forever. Times are printed: a busy
 * machine may take any bound.
 */
class ClusterStartTest
{
    @Test
    void theFlagListIsTheOneTheBuildGivesAndThisJvmHasThemAll()
    {
        assertEquals(24, JvmFlags.required().size());
        final String fromPom = System.getProperty("mp4j.ignite.flags");
        if (fromPom != null)
        {
            assertEquals(JvmFlags.required(), Arrays.asList(fromPom.strip().split("\\s+")),
                "pom.xml's mp4j.ignite.flags and ignite-jvm-flags.txt must list the same flags");
        }
        assertEquals(List.of(), JvmFlags.missing(), "surefire gives this JVM every flag");
        assertTrue(JvmFlags.manifestAddOpens().startsWith("java.base/jdk.internal.access java.base/jdk.internal.misc"));
        assertTrue(JvmFlags.forJava(25).contains(JvmFlags.UNSAFE_ALLOW));
        assertFalse(JvmFlags.forJava(17).contains(JvmFlags.UNSAFE_ALLOW));
    }

    @Test
    void badDiscoveryListsAreRefusedWithTheirReason()
    {
        final IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
            () -> ClusterConfig.discovery("127.0.0.1:notaport"));
        assertTrue(noPort.getMessage().contains("127.0.0.1:notaport"), noPort.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.discovery("127.0.0.1:47509..47500"));
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.discovery(" , "));
        assertThrows(IllegalArgumentException.class, () -> ClusterConfig.discovery("127.0.0.1:80"));
        assertEquals(List.of("127.0.0.1:47500..47509", "10.1.2.3:47500..47509"),
            ClusterConfig.discovery("127.0.0.1:47500..47509, 10.1.2.3").discoveryAddresses());
        assertEquals("127.0.0.1", ClusterConfig.discovery("localhost:47500").bindHost());
        assertNull(ClusterConfig.discovery("10.1.2.3:47500").bindHost(), "several hosts: all interfaces unless --host");
        assertFalse(DiscoveryProbe.listsItself(ClusterConfig.discovery("127.0.0.1:21590").port(21500)),
            "a node that can only join: mp4j looks for a listener before starting Ignite");
        assertTrue(DiscoveryProbe.listsItself(ClusterConfig.discovery("127.0.0.1:47500..47509")));
        assertTrue(DiscoveryProbe.listsItself(ClusterConfig.discovery("127.0.0.1:47505").port(47500)));
        assertTrue(DiscoveryProbe.listsItself(ClusterConfig.discovery("10.1.2.3,10.1.2.4").host("10.1.2.4")));
        assertFalse(DiscoveryProbe.listsItself(ClusterConfig.discovery("10.1.2.3,10.1.2.4").host("10.1.2.9")));
        assertEquals(1, ClusterPool.pythonChunksize(3, 4));
        assertEquals(7, ClusterPool.pythonChunksize(100, 4), "divmod(100, 16) = (6, 4): 7");
    }

    @Test
    void aJvmWithoutTheFlagsIsToldWhichToAdd() throws Exception
    {
        TestCluster.assumeEnabled();
        final List<String> command = List.of(NodeProcess.javaBinary(), "-cp", System.getProperty("java.class.path"),
            ConnectMain.class.getName(), "127.0.0.1:21591..21592");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, process.exitValue(), out);
        assertTrue(out.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), out);
        assertTrue(out.contains("launcher cluster --jvm-flags"), out);
    }

    @Test
    void aNodeAndAClientThatFindNobodyFailClearly() throws Exception
    {
        TestCluster.assumeEnabled();
        final Path logs = Path.of("target", "cluster-nodes", "ClusterStartTest");
        Files.createDirectories(logs);
        // a server whose own address is not in its list, and nobody at the listed one: the typo'd port case
        final List<String> command = new ArrayList<>(NodeProcess.command(null, "256m", List.of("--port", "21500",
            "--discovery", "127.0.0.1:21590", "--join-timeout", "3")));
        final long start = System.nanoTime();
        final Process node = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(logs.resolve("wrong-discovery.out").toFile()).start();
        try
        {
            assertTrue(node.waitFor(180, TimeUnit.SECONDS), "the node gave up instead of waiting forever");
        }
        finally
        {
            node.destroyForcibly();
        }
        final String out = Files.readString(logs.resolve("wrong-discovery.out"));
        assertEquals(1, node.exitValue(), out);
        assertTrue(out.contains("no node of the cluster answered at 127.0.0.1:21590"), out);
        assertFalse(out.contains("\tat "), "one line, no stack trace: " + out);
        System.out.printf("a node with a wrong discovery address failed after %.1f s (join timeout 3 s)%n",
            (System.nanoTime() - start) / 1e9);

        final long clientStart = System.nanoTime();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> ClusterContext.connect(
            ClusterConfig.discovery("127.0.0.1:21590").joinTimeout(Duration.ofSeconds(3))));
        assertTrue(ex.getMessage().contains("no node of the cluster answered"), ex.getMessage());
        System.out.printf("a client with nobody to join failed after %.1f s%n", (System.nanoTime() - clientStart) / 1e9);
    }
}
