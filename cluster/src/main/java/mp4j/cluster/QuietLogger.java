package mp4j.cluster;

import org.apache.ignite.IgniteLogger;

import java.io.PrintStream;

/**
 * Ignite's logger when not verbose: errors only, one line each on standard error (the stack trace with
 * {@code -Dmp4j.debug=true}); no banner, no INFO, no performance suggestions.
 */
final class QuietLogger implements IgniteLogger
{
    private final String prefix;
    /** Until the node has started, mp4j reports why a start failed itself (one line instead of Ignite's trace). */
    private volatile boolean started;

    QuietLogger(final String prefix)
    {
        this.prefix = prefix;
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
        if (!started && !Boolean.getBoolean("mp4j.debug"))
        {
            return;
        }
        final PrintStream err = System.err;
        err.println(prefix + msg + (e == null ? "" : " (" + e + ")"));
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
