package mp4j.cluster;

import org.apache.ignite.IgniteException;
import org.apache.ignite.configuration.AtomicConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.failure.StopNodeOrHaltFailureHandler;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Ignite configuration of an mp4j node, server or client: static discovery (a fixed address list, never
 * multicast), bound to the configured host, no REST or thin-client port, peer class loading on (a task's classes
 * travel with it), atomics with backups, a capped data region, a private work folder, and no call home.
 */
final class IgniteSetup
{
    /** Node attributes every mp4j node publishes (see {@code launcher cluster}). */
    static final String ATTR_PID = "mp4j.pid";
    static final String ATTR_STARTED = "mp4j.startedMillis";
    static final String ATTR_ROLE = "mp4j.role";
    static final String ATTR_WORK_DIR = "mp4j.workDir";

    /** How long the servers wait for a silent client before dropping it (and freeing what it held). */
    static final long CLIENT_FAILURE_DETECTION_MS = 5_000;

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    static
    {
        quietDefaults();
    }

    private IgniteSetup()
    {
    }

    /** Ignite reads these once, when its classes load: set them before any node starts in this JVM. */
    static void quietDefaults()
    {
        setIfAbsent("IGNITE_UPDATE_NOTIFIER", "false");  // it would contact the project's servers at start
        setIfAbsent("IGNITE_NO_ASCII", "true");
        setIfAbsent("IGNITE_PERFORMANCE_SUGGESTIONS_DISABLED", "true");
        setIfAbsent("IGNITE_NO_SHUTDOWN_HOOK", "true"); // mp4j stops its nodes itself, then removes their folders
        setIfAbsent("IGNITE_QUIET", "true");
    }

    private static void setIfAbsent(final String key, final String value)
    {
        if (System.getProperty(key) == null)
        {
            System.setProperty(key, value);
        }
    }

    static IgniteConfiguration server(final ClusterConfig config, final Path workDir)
    {
        final IgniteConfiguration c = common(config, workDir, "mp4j-server-" + ProcessHandle.current().pid(), "server");
        final long max = config.dataRegionBytes();
        c.setDataStorageConfiguration(new DataStorageConfiguration().setDefaultDataRegionConfiguration(
            new DataRegionConfiguration().setName("mp4j").setInitialSize(Math.min(max, 32L << 20)).setMaxSize(max)));
        c.setFailureHandler(new StopNodeOrHaltFailureHandler());
        return c;
    }

    static IgniteConfiguration client(final ClusterConfig config, final Path workDir)
    {
        final IgniteConfiguration c = common(config, workDir,
            "mp4j-client-" + ProcessHandle.current().pid() + "-" + CLIENTS.incrementAndGet(), "client");
        c.setClientMode(true);
        // a client lives in the user's JVM: a critical failure stops the node, never the JVM
        c.setFailureHandler(new StopNodeFailureHandler());
        return c;
    }

    private static IgniteConfiguration common(
        final ClusterConfig config, final Path workDir, final String name, final String role)
    {
        quietDefaults();
        final IgniteConfiguration c = new IgniteConfiguration();
        c.setIgniteInstanceName(name);
        c.setWorkDirectory(workDir.toString());
        c.setPeerClassLoadingEnabled(true);
        c.setMetricsLogFrequency(0);
        // a client killed with kill -9 is dropped after this (Ignite's default, 30 s, kept its locks that long)
        c.setClientFailureDetectionTimeout(CLIENT_FAILURE_DETECTION_MS);
        c.setConnectorConfiguration(null);       // no REST port
        c.setClientConnectorConfiguration(null); // no thin-client/JDBC port
        c.setAtomicConfiguration(new AtomicConfiguration().setBackups(config.backups()));
        if (!config.verbose())
        {
            c.setGridLogger(new QuietLogger("ignite (" + role + "): "));
        }
        final String host = config.bindHost();
        if (host != null)
        {
            c.setLocalHost(host);
        }
        final TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
        finder.setAddresses(config.discoveryAddresses());
        final TcpDiscoverySpi discovery = new TcpDiscoverySpi();
        discovery.setIpFinder(finder);
        final int[] ports = config.localPortRange();
        discovery.setLocalPort(ports[0]);
        discovery.setLocalPortRange(ports[1]);
        discovery.setJoinTimeout(config.joinTimeout().toMillis());
        if (host != null)
        {
            discovery.setLocalAddress(host);
        }
        c.setDiscoverySpi(discovery);
        final TcpCommunicationSpi communication = new TcpCommunicationSpi();
        if (host != null)
        {
            communication.setLocalAddress(host);
        }
        c.setCommunicationSpi(communication);
        final Map<String, Object> attributes = new HashMap<>();
        attributes.put(ATTR_PID, ProcessHandle.current().pid());
        attributes.put(ATTR_STARTED, System.currentTimeMillis());
        attributes.put(ATTR_ROLE, role);
        attributes.put(ATTR_WORK_DIR, workDir.toString());
        c.setUserAttributes(attributes);
        return c;
    }

    /** Tells mp4j's quiet logger, if {@code c} has one, that its node is up: Ignite's errors print from now on. */
    static void started(final IgniteConfiguration c)
    {
        if (c.getGridLogger() instanceof QuietLogger quiet)
        {
            quiet.started();
        }
    }

    /** The error of a node that found nobody at its discovery addresses within its join timeout. */
    static IllegalStateException nobodyAnswered(final ClusterConfig config, final String role)
    {
        return nobodyAnswered(config, role, null);
    }

    private static IllegalStateException nobodyAnswered(final ClusterConfig config, final String role,
        final Throwable cause)
    {
        return new IllegalStateException("no node of the cluster answered at " + config.discoveryText() + " within " +
            config.joinTimeout().toSeconds() + " s: check the addresses and ports, that a server node runs there " +
            "('launcher node'), and the firewall" + ("server".equals(role) ?
            "; a first node must list its own address (e.g. --discovery 127.0.0.1:47500..47509)" : ""), cause);
    }

    /** Why a node could not start, in words a user can act on. */
    static IllegalStateException explainStartFailure(final IgniteException ex, final ClusterConfig config, final String role)
    {
        final StringBuilder causes = new StringBuilder();
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            causes.append(' ').append(t.getMessage());
        }
        final String all = causes.toString();
        final String message;
        if (all.contains("Join process timed out") || all.contains("Failed to connect to any address from IP finder") ||
            all.contains("join timeout"))
        {
            return nobodyAnswered(config, role, ex);
        }
        if (all.contains("Address already in use") || all.contains("Failed to bind"))
        {
            message = "the " + role + " node cannot bind its ports (" + config.discoveryText() + "): they are in use; " +
                "give another range with --discovery";
        }
        else
        {
            Throwable root = ex;
            while (root.getCause() != null)
            {
                root = root.getCause();
            }
            message = "the Ignite " + role + " node did not start: " + root;
        }
        return new IllegalStateException(message, ex);
    }
}
