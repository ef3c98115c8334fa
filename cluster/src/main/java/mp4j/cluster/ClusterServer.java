package mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;

import java.nio.file.Path;

/**
 * A server node in this JVM: it stores the cluster's objects and runs its tasks. {@code launcher node} runs one per
 * JVM ({@link NodeMain}); {@link #close()} stops it and removes its work folder.
 */
public final class ClusterServer implements AutoCloseable
{
    private final Ignite ignite;
    private final Path workDir;
    private final ClusterConfig config;

    private ClusterServer(final Ignite ignite, final Path workDir, final ClusterConfig config)
    {
        this.ignite = ignite;
        this.workDir = workDir;
        this.config = config;
    }

    /**
     * Starts a server node and joins (or, when nobody answers and this node's own address is in the list, forms)
     * the cluster.
     *
     * @param config where the cluster is, which port and address this node takes, its data region and work folder.
     * @return the running node; {@link #close()} stops it.
     * @throws IllegalStateException in words a user can act on: flags missing, nobody answered in time, ports in use.
     */
    public static ClusterServer start(final ClusterConfig config)
    {
        JvmFlags.check();
        if (!DiscoveryProbe.listsItself(config))
        {
            DiscoveryProbe.awaitSomeoneListening(config, "server"); // it can only join: fail fast when nobody is there
        }
        final Path workDir = WorkDirs.create(config.workDir());
        try
        {
            final IgniteConfiguration c = IgniteSetup.server(config, workDir);
            final Ignite ignite = Ignition.start(c);
            IgniteSetup.started(c);
            return new ClusterServer(ignite, workDir, config);
        }
        catch (final IgniteException ex)
        {
            WorkDirs.deleteQuietly(workDir);
            throw IgniteSetup.explainStartFailure(ex, config, "server");
        }
        catch (final RuntimeException | Error ex)
        {
            WorkDirs.deleteQuietly(workDir);
            throw ex;
        }
    }

    /**
     * The Ignite node underneath.
     *
     * @return the node; {@link #close()} this server rather than the node.
     */
    public Ignite ignite()
    {
        return ignite;
    }

    /**
     * This node's work folder.
     *
     * @return the folder made for it ({@code mp4j-ignite-<pid>-...}), removed by {@link #close()}.
     */
    public Path workDir()
    {
        return workDir;
    }

    /**
     * The config the node started with.
     *
     * @return the config given to {@link #start(ClusterConfig)}.
     */
    public ClusterConfig config()
    {
        return config;
    }

    /**
     * Where this node listens for discovery: what others put in their discovery list.
     *
     * @return {@code host:port}: the bind address, or else the first non-loopback IPv4 address of the node.
     */
    public String address()
    {
        final TcpDiscoverySpi discovery = (TcpDiscoverySpi)ignite.configuration().getDiscoverySpi();
        return host() + ":" + discovery.getLocalPort();
    }

    private String host()
    {
        final String bind = config.bindHost();
        if (bind != null)
        {
            return bind;
        }
        final ClusterNode local = ignite.cluster().localNode();
        for (final String address : local.addresses())
        {
            if (!address.startsWith("127.") && !address.contains(":"))
            {
                return address;
            }
        }
        return local.addresses().isEmpty() ? "?" : local.addresses().iterator().next();
    }

    /**
     * Server nodes in the cluster now, this one included.
     *
     * @return their count, at least 1.
     */
    public int servers()
    {
        return ignite.cluster().forServers().nodes().size();
    }

    /** Stops the node (its running jobs are cancelled) and removes its work folder. */
    @Override
    public void close()
    {
        try
        {
            Ignition.stop(ignite.name(), true);
        }
        finally
        {
            WorkDirs.deleteQuietly(workDir);
        }
    }
}
