package mp4j.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Before a node starts Ignite: is anybody listening at its discovery addresses? A node that cannot form a cluster
 * of its own (a client, or a server whose own ports are not in its list) and finds no port open there fails at once
 * with mp4j's clear error, instead of starting Ignite, waiting out Ignite's join timeout between retries and then
 * rolling its start back: that took 20-40 s on a busy machine for a wrong address, this takes the join timeout.
 * A port that accepts is not proof of a cluster (Ignite's join still decides, with its own timeout); a port that
 * refuses everywhere, for the whole join timeout, is proof enough that nobody is there.
 */
final class DiscoveryProbe
{
    private static final Pattern ENTRY = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^:]+)(?::(\\d+)(?:\\.\\.(\\d+))?)?");
    private static final int CONNECT_TIMEOUT_MS = 250;
    private static final long ROUND_PAUSE_MS = 200;

    private DiscoveryProbe()
    {
    }

    /**
     * Waits until some discovery address accepts a TCP connection, at most the join timeout.
     *
     * @throws IllegalStateException when none did: the message {@link IgniteSetup#explainStartFailure} gives.
     */
    static void awaitSomeoneListening(final ClusterConfig config, final String role)
    {
        final List<InetSocketAddress> addresses = addresses(config);
        final long deadline = System.nanoTime() + config.joinTimeout().toNanos();
        while (true)
        {
            for (final InetSocketAddress address : addresses)
            {
                if (accepts(address))
                {
                    return;
                }
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROUND_PAUSE_MS) > deadline)
            {
                throw IgniteSetup.nobodyAnswered(config, role);
            }
            try
            {
                Thread.sleep(ROUND_PAUSE_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while looking for the cluster at " +
                    config.discoveryText(), ex);
            }
        }
    }

    /** Whether a server of {@code config} may form a cluster by itself: its own ports are in its discovery list. */
    static boolean listsItself(final ClusterConfig config)
    {
        final int[] own = config.localPortRange();
        final String bind = config.bindHost();
        for (final String entry : config.discoveryAddresses())
        {
            final Matcher m = ENTRY.matcher(entry);
            if (!m.matches())
            {
                return true; // not ours to judge: let Ignite decide
            }
            final int first = Integer.parseInt(m.group(2));
            final int last = m.group(3) == null ? first : Integer.parseInt(m.group(3));
            final boolean portsOverlap = first <= own[0] + own[1] - 1 && last >= own[0];
            final String host = m.group(1);
            final boolean maybeThisHost = bind == null || host.equals(bind) || host.equals("localhost") ||
                host.startsWith("127.") && bind.startsWith("127.");
            if (portsOverlap && maybeThisHost)
            {
                return true;
            }
        }
        return false;
    }

    private static List<InetSocketAddress> addresses(final ClusterConfig config)
    {
        final List<InetSocketAddress> list = new ArrayList<>();
        for (final String entry : config.discoveryAddresses())
        {
            final Matcher m = ENTRY.matcher(entry);
            if (!m.matches())
            {
                continue;
            }
            final String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) :
                m.group(1);
            final int first = Integer.parseInt(m.group(2));
            final int last = m.group(3) == null ? first : Integer.parseInt(m.group(3));
            for (int port = first; port <= last; port++)
            {
                list.add(new InetSocketAddress(host, port)); // resolved once, as Ignite's finder would
            }
        }
        return list;
    }

    private static boolean accepts(final InetSocketAddress address)
    {
        if (address.isUnresolved())
        {
            return false;
        }
        try (Socket socket = new Socket())
        {
            socket.connect(address, CONNECT_TIMEOUT_MS);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
