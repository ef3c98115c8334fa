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
    /** Discovery when none is given: the ten default ports on this machine's loopback address. */
    public static final String DEFAULT_DISCOVERY = "127.0.0.1:47500..47509";
    /** The first discovery port of a host given without one, and of this node unless {@link #port(int)} says. */
    public static final int DEFAULT_DISCOVERY_PORT = 47500;
    /** How many discovery ports, from the first, a host given without a port and this node may use. */
    public static final int DEFAULT_PORT_RANGE = 10;
    /** A server node's data region unless {@link #dataRegionMegabytes(int)} says, in MB. */
    public static final int DEFAULT_DATA_REGION_MB = 256;
    /** How long a node looks for its cluster unless {@link #joinTimeout(Duration)} says, in seconds. */
    public static final int DEFAULT_JOIN_TIMEOUT_S = 10;
    /** Copies kept on other nodes unless {@link #backups(int)} says. */
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

    /**
     * The default: one machine, {@value #DEFAULT_DISCOVERY}.
     *
     * @return a new config, with every other setting at its default.
     */
    public static ClusterConfig local()
    {
        return discovery(DEFAULT_DISCOVERY);
    }

    /**
     * A config whose nodes find each other at the given addresses (Ignite's static IP finder; never multicast).
     *
     * @param addresses comma-separated {@code HOST:PORT_RANGE} entries, e.g. {@code 127.0.0.1:47500..47509}: where
     *                  the cluster's nodes listen for discovery. A port-less host means the default range.
     * @return a new config, with every other setting at its default.
     * @throws IllegalArgumentException naming the bad entry: not an address, a port outside 1024..65535, a range
     *                                  that goes down or spans more than 100 ports; or when no entry is given.
     * @throws NullPointerException     when {@code addresses} is null.
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
     *
     * @param port the first port, 1024 .. 65525 (so that the range ends by 65535).
     * @return this config.
     * @throws IllegalArgumentException when the port is outside that range.
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

    /**
     * A discovery entry for the ports a node on this machine whose first port is {@code port} may take.
     *
     * @param port the first port; not checked.
     * @return {@code 127.0.0.1:port..port+9}.
     */
    public static String loopbackRange(final int port)
    {
        return "127.0.0.1:" + port + ".." + (port + DEFAULT_PORT_RANGE - 1);
    }

    /**
     * The address this node binds and shows to the others.
     *
     * @param host an IP address or host name of this machine; null for the default: 127.0.0.1 when every
     *             discovery host is loopback, else all interfaces.
     * @return this config.
     */
    public ClusterConfig host(final String host)
    {
        this.host = host;
        return this;
    }

    /**
     * Where a node keeps its work files: in a folder of its own, {@code mp4j-ignite-<pid>-...}, made inside the
     * folder given and removed when the node stops (a killed node's, by the next node started there).
     *
     * @param workDir the parent folder, made if missing; null for the default, the system temp folder.
     * @return this config.
     */
    public ClusterConfig workDir(final Path workDir)
    {
        this.workDir = workDir;
        return this;
    }

    /**
     * The most off-heap memory a server node's data region takes (default {@value #DEFAULT_DATA_REGION_MB} MB);
     * a client node holds no data and ignores it.
     *
     * @param megabytes the size in MB (2<sup>20</sup> bytes), 16 .. 1048576 (1 TB).
     * @return this config.
     * @throws IllegalArgumentException when the size is outside that range.
     */
    public ClusterConfig dataRegionMegabytes(final int megabytes)
    {
        if (megabytes < 16 || megabytes > 1 << 20)
        {
            throw new IllegalArgumentException("the data region must be 16 MB .. 1 TB, got " + megabytes + " MB");
        }
        this.dataRegionBytes = megabytes * 1024L * 1024L;
        return this;
    }

    /**
     * How long a node looks for the cluster before it gives up with an error (default
     * {@value #DEFAULT_JOIN_TIMEOUT_S} s).
     *
     * @param joinTimeout a positive duration.
     * @return this config.
     * @throws IllegalArgumentException when it is zero or negative.
     * @throws NullPointerException     when it is null.
     */
    public ClusterConfig joinTimeout(final Duration joinTimeout)
    {
        if (joinTimeout.isNegative() || joinTimeout.isZero())
        {
            throw new IllegalArgumentException("the join timeout must be positive, got " + joinTimeout);
        }
        this.joinTimeout = joinTimeout;
        return this;
    }

    /**
     * Whether Ignite's own INFO logs and banner are shown.
     *
     * @param verbose true to show them; false (the default) for errors only.
     * @return this config.
     */
    public ClusterConfig verbose(final boolean verbose)
    {
        this.verbose = verbose;
        return this;
    }

    /**
     * Copies of each queue item and atomic kept on other nodes (default {@value #DEFAULT_BACKUPS}), so that a node
     * that leaves takes no data with it.
     *
     * @param backups 1 .. 8; 0 is refused, since it would lose a queue's items with their node.
     * @return this config.
     * @throws IllegalArgumentException when outside 1 .. 8.
     */
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

    /**
     * The discovery entries, each completed with the default port range where it had none.
     *
     * @return an unmodifiable list of {@code HOST:PORT} or {@code HOST:PORT..PORT} entries, never empty.
     */
    public List<String> discoveryAddresses()
    {
        return discovery;
    }

    /**
     * The discovery list as the CLI's {@code --discovery} takes it, for passing on to another process.
     *
     * @return the entries of {@link #discoveryAddresses()}, comma-separated.
     */
    public String discoveryText()
    {
        return String.join(",", discovery);
    }

    /**
     * The address this node binds.
     *
     * @return the {@link #host(String)} given, else 127.0.0.1 when all discovery hosts are loopback, else null:
     *         all interfaces.
     */
    public String bindHost()
    {
        if (host != null)
        {
            return host;
        }
        return allLoopback() ? "127.0.0.1" : null;
    }

    /**
     * The work folder given.
     *
     * @return the parent folder {@link #workDir(Path)} was given, or null for the system temp folder.
     */
    public Path workDir()
    {
        return workDir;
    }

    /**
     * A server node's data region size.
     *
     * @return the size in bytes.
     */
    public long dataRegionBytes()
    {
        return dataRegionBytes;
    }

    /**
     * How long a node looks for its cluster.
     *
     * @return the join timeout, positive.
     */
    public Duration joinTimeout()
    {
        return joinTimeout;
    }

    /**
     * Whether Ignite's own logs are shown.
     *
     * @return true for INFO logs and banner, false for errors only.
     */
    public boolean verbose()
    {
        return verbose;
    }

    /**
     * Copies kept on other nodes.
     *
     * @return 1 .. 8.
     */
    public int backups()
    {
        return backups;
    }

    /** This node's first discovery port and how many it may try. */
    int[] localPortRange()
    {
        return new int[]{port, DEFAULT_PORT_RANGE};
    }

    /**
     * This node's first discovery port.
     *
     * @return the port; it may take this one or one of the next {@value #DEFAULT_PORT_RANGE} - 1.
     */
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
