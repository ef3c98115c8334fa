package mp4j.cluster;

import org.apache.ignite.IgniteLogger;

import java.io.PrintStream;

/**
 * Ignite's logger when not verbose: errors only, one short line each on standard error (whole, with the stack
 * trace, with {@code -Dmp4j.debug=true}); no banner, no INFO, no performance suggestions, and nothing for a
 * connection reset by a node that died (the cluster handles that, and mp4j reports what it did about it).
 */
final class QuietLogger implements IgniteLogger
{
    private static final int MAX_LINE = 240;

    private final String prefix;
    /** Until the node has started, mp4j reports why a start failed itself (one line instead of Ignite's trace). */
    private volatile boolean started;

    QuietLogger(final String prefix)
    {
        this.prefix = prefix;
    }

    /** A connection another node dropped by dying: expected, and the cluster says so in better words. */
    private static boolean peerGone(final Throwable e)
    {
        for (Throwable t = e; t != null; t = t.getCause())
        {
            if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).matches(
                "(?s).*(Connection reset|Broken pipe|Connection refused).*"))
            {
                return true;
            }
        }
        return false;
    }

    void started()
    {
        started = true;
    }

    @Override
    public IgniteLogger getLogger(final Object ctgr)
    {
        return this;
    }

    @Override
    public void trace(final String msg)
    {
    }

    @Override
    public void debug(final String msg)
    {
    }

    @Override
    public void info(final String msg)
    {
    }

    @Override
    public void warning(final String msg, final Throwable e)
    {
    }

    @Override
    public void error(final String msg, final Throwable e)
    {
        final boolean debug = Boolean.getBoolean("mp4j.debug");
        if (!debug && (!started || peerGone(e)))
        {
            return;
        }
        final PrintStream err = System.err;
        final String line = msg + (e == null ? "" : " (" + e + ")");
        err.println(prefix + (debug || line.length() <= MAX_LINE ? line :
            line.substring(0, MAX_LINE) + "... (-Dmp4j.debug=true or --verbose for all)"));
        if (e != null && Boolean.getBoolean("mp4j.debug"))
        {
            e.printStackTrace(err);
        }
    }

    @Override
    public boolean isTraceEnabled()
    {
        return false;
    }

    @Override
    public boolean isDebugEnabled()
    {
        return false;
    }

    @Override
    public boolean isInfoEnabled()
    {
        return false;
    }

    /** False: Ignite's quiet mode prints its own summary to standard output, which mp4j does not want. */
    @Override
    public boolean isQuiet()
    {
        return false;
    }

    @Override
    public String fileName()
    {
        return null;
    }
}
