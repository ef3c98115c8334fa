package mp4j.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a node (server or client) finds and joins its cluster, with mp4j's safe defaults: static discovery on
 * {@value #DEFAULT_DISCOVERY} (never multicast), bound to the loopback address unless told otherwise, a
 * {@value #DEFAULT_DATA_REGION_MB} MB data region, a work folder under the system temp folder, Ignite's logs quiet,
 * and a {@value #DEFAULT_JOIN_TIMEOUT_S} s limit on finding the cluster.
 * <pre>{@code
 * ClusterConfig config = ClusterConfig.discovery("10.0.0.5:47500..47509,10.0.0.6:47500..47509").host("10.0.0.5");
 * }</pre>
 */
public final class ClusterConfig
{
    public static final String DEFAULT_DISCOVERY = "127.0.0.1:47500..47509";
    public static final int DEFAULT_DISCOVERY_PORT = 47500;
    public static final int DEFAULT_PORT_RANGE = 10;
    public static final int DEFAULT_DATA_REGION_MB = 256;
    public static final int DEFAULT_JOIN_TIMEOUT_S = 10;
    public static final int DEFAULT_BACKUPS = 1;

    /** {@code host}, {@code host:port} or {@code host:port..port}; an IPv6 host in brackets. */
    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.\\-]+)(?::(\\d{1,5})(?:\\.\\.(\\d{1,5}))?)?");

    private final List<String> discovery;
    private String host;
    private Path workDir;
    private long dataRegionBytes = DEFAULT_DATA_REGION_MB * 1024L * 1024L;
    private Duration joinTimeout = Duration.ofSeconds(DEFAULT_JOIN_TIMEOUT_S);
    private boolean verbose;
    private int backups = DEFAULT_BACKUPS;
    private int port = DEFAULT_DISCOVERY_PORT;

    private ClusterConfig(final List<String> discovery)
    {
        this.discovery = List.copyOf(discovery);
    }

    /** The default: one machine, {@value #DEFAULT_DISCOVERY}. */
    public static ClusterConfig local()
    {
        return discovery(DEFAULT_DISCOVERY);
    }

    /**
     * @param addresses comma-separated {@code HOST:PORT_RANGE} entries, e.g. {@code 127.0.0.1:47500..47509}: where
     *                  the cluster's nodes listen for discovery. A port-less host means the default range.
     * @throws IllegalArgumentException naming the bad entry.
     */
    public static ClusterConfig discovery(final String addresses)
    {
        Objects.requireNonNull(addresses, "addresses");
        final List<String> list = new ArrayList<>();
        for (final String raw : addresses.split(","))
        {
            final String entry = raw.strip();
            if (entry.isEmpty())
            {
                continue;
            }
            final Matcher m = ADDRESS.matcher(entry);
            if (!m.matches())
            {
                throw new IllegalArgumentException("discovery address '" + entry + "' is not HOST, HOST:PORT or " +
                    "HOST:PORT..PORT (e.g. 127.0.0.1:47500..47509)");
            }
            if (m.group(2) != null)
            {
                final int first = port(entry, m.group(2));
                final int last = m.group(3) == null ? first : port(entry, m.group(3));
                if (last < first || last - first > 100)
                {
                    throw new IllegalArgumentException("discovery address '" + entry + "': the port range must go " +
                        "up, by at most 100 ports");
                }
                list.add(entry);
            }
            else
            {
                list.add(entry + ":" + DEFAULT_DISCOVERY_PORT + ".." + (DEFAULT_DISCOVERY_PORT + DEFAULT_PORT_RANGE - 1));
            }
        }
        if (list.isEmpty())
        {
            throw new IllegalArgumentException("no discovery address given; e.g. " + DEFAULT_DISCOVERY);
        }
        return new ClusterConfig(list);
    }

    private static int port(final String entry, final String digits)
    {
        final int port = Integer.parseInt(digits);
        if (port < 1024 || port > 65535)
        {
            throw new IllegalArgumentException("discovery address '" + entry + "': port " + port +
                " is not between 1024 and 65535");
        }
        return port;
    }

    /**
     * The first of the {@value #DEFAULT_PORT_RANGE} discovery ports this node may listen on (a server: it takes the
     * first free one; default {@value #DEFAULT_DISCOVERY_PORT}). A server whose own address is not in the
     * discovery list never forms a cluster of its own: it joins one, or fails after the join timeout.
     */
    public ClusterConfig port(final int port)
    {
        if (port < 1024 || port > 65535 - DEFAULT_PORT_RANGE)
        {
            throw new IllegalArgumentException("the discovery port must be between 1024 and " +
                (65535 - DEFAULT_PORT_RANGE) + ", got " + port);
        }
        this.port = port;
        return this;
    }

    /** The loopback range of {@code port}: {@code 127.0.0.1:port..port+9}. */
    public static String loopbackRange(final int port)
    {
        return "127.0.0.1:" + port + ".." + (port + DEFAULT_PORT_RANGE - 1);
    }

    /** The address this node binds and shows to the others; default: 127.0.0.1 when every discovery host is local. */
    public ClusterConfig host(final String host)
    {
        this.host = host;
        return this;
    }

    /** Where a node keeps its work files; default: a new folder under the system temp folder, removed at the end. */
    public ClusterConfig workDir(final Path workDir)
    {
        this.workDir = workDir;
        return this;
    }

    /** The most off-heap memory a server node's data region takes (default {@value #DEFAULT_DATA_REGION_MB} MB). */
    public ClusterConfig dataRegionMegabytes(final int megabytes)
    {
        if (megabytes < 16 || megabytes > 1 << 20)
        {
            throw new IllegalArgumentException("the data region must be 16 MB .. 1 TB, got " + megabytes + " MB");
        }
        this.dataRegionBytes = megabytes * 1024L * 1024L;
        return this;
    }

    /** How long a node looks for the cluster before it gives up with an error (default {@value #DEFAULT_JOIN_TIMEOUT_S} s). */
    public ClusterConfig joinTimeout(final Duration joinTimeout)
    {
        if (joinTimeout.isNegative() || joinTimeout.isZero())
        {
            throw new IllegalArgumentException("the join timeout must be positive, got " + joinTimeout);
        }
        this.joinTimeout = joinTimeout;
        return this;
    }

    /** Ignite's own INFO logs and banner (default: quiet, errors only). */
    public ClusterConfig verbose(final boolean verbose)
    {
        this.verbose = verbose;
        return this;
    }

    /** Copies of each queue item and atomic kept on other nodes (default {@value #DEFAULT_BACKUPS}). */
    public ClusterConfig backups(final int backups)
    {
        if (backups < 1 || backups > 8)
        {
            throw new IllegalArgumentException("backups must be 1..8, got " + backups +
                " (0 would lose a queue's items with their node)");
        }
        this.backups = backups;
        return this;
    }

    public List<String> discoveryAddresses()
    {
        return discovery;
    }

    /** The discovery list as given to {@code --discovery}. */
    public String discoveryText()
    {
        return String.join(",", discovery);
    }

    /** The bind address: the one given, else 127.0.0.1 when all discovery hosts are loopback, else null (all). */
    public String bindHost()
    {
        if (host != null)
        {
            return host;
        }
        return allLoopback() ? "127.0.0.1" : null;
    }

    public Path workDir()
    {
        return workDir;
    }

    public long dataRegionBytes()
    {
        return dataRegionBytes;
    }

    public Duration joinTimeout()
    {
        return joinTimeout;
    }

    public boolean verbose()
    {
        return verbose;
    }

    public int backups()
    {
        return backups;
    }

    /** This node's first discovery port and how many it may try. */
    int[] localPortRange()
    {
        return new int[]{port, DEFAULT_PORT_RANGE};
    }

    public int port()
    {
        return port;
    }

    private boolean allLoopback()
    {
        for (final String entry : discovery)
        {
            final Matcher m = ADDRESS.matcher(entry);
            if (!m.matches() || !isLoopback(m.group(1)))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopback(final String hostName)
    {
        if (hostName.equals("localhost") || hostName.startsWith("127.") || hostName.equals("[::1]"))
        {
            return true;
        }
        try
        {
            // a literal address only: never a DNS look-up for a name mp4j was not told to resolve
            return Character.isDigit(hostName.charAt(0)) && InetAddress.getByName(hostName).isLoopbackAddress();
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    @Override
    public String toString()
    {
        return "ClusterConfig[discovery " + discoveryText() + (host != null ? ", host " + host : "") + "]";
    }
}
