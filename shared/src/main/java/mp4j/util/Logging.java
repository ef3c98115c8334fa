package mp4j.util;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * mp4j's logger, as Python's {@code multiprocessing.get_logger()} and {@code log_to_stderr()}: what happens to
 * processes (a worker starts, exits, is replaced; a reserve is taken; a stale session is swept), for someone
 * debugging a job that hangs or fails. Silent by default; one property switches it on:
 * <pre>
 *   java -Dmp4j.log=debug ...      every event, on standard error, in this JVM and its workers
 *   java -Dmp4j.log=trace ...      also each worker's full command line
 *   java -Dmp4j.log=info ...       only what goes wrong (a worker died, a pool broke) and sweeps
 *   java -Dmp4j.log=platform ...   through System.getLogger("mp4j"): your logging framework decides
 * </pre>
 * Each line reads {@code [mp4j DEBUG 12:00:01.234 pid 4242 main] Process-1 (pid 4250, slot 1) started}. The
 * property reaches workers with the rest of {@code mp4j.*}, so their events are printed too, on the same standard
 * error.
 * <p>
 * The logger is a {@link System.Logger}. Without the property it is a no-op that costs one call on the paths it
 * is used (never per task or per message) and does not start the platform's logging, which takes a fresh JVM
 * tens of milliseconds: a worker's start is mp4j's slowest figure. {@code platform} hands every message to the
 * platform logger named {@code "mp4j"} (java.util.logging unless a {@code System.LoggerFinder} such as SLF4J's
 * is installed), where mp4j's events are at DEBUG and TRACE (java.util.logging's FINE and FINER) apart from
 * failures at INFO.
 */
public final class Logging
{
    /** The logger's name, as Python's "multiprocessing". */
    public static final String NAME = "mp4j";
    /** The system property that switches logging on: a level name, {@code platform} or {@code off}. */
    public static final String PROPERTY = "mp4j.log";

    private static volatile System.Logger logger = fromProperty(System.getProperty(PROPERTY));

    private Logging()
    {
    }

    /**
     * The logger mp4j writes to, as Python's {@code get_logger()}.
     *
     * @return the logger in use: a silent one unless switched on.
     */
    public static System.Logger logger()
    {
        return logger;
    }

    /**
     * Prints mp4j's events at {@code level} and above to standard error from now on, in this JVM and in workers
     * started after this call, as Python's {@code log_to_stderr(level)}.
     *
     * @param level the lowest level printed.
     * @return the logger now in use.
     */
    public static System.Logger logToStderr(final System.Logger.Level level)
    {
        System.setProperty(PROPERTY, level.getName().toLowerCase(Locale.ROOT)); // workers get mp4j.* properties
        logger = new StderrLogger(level, System.err);
        return logger;
    }

    /**
     * Sends mp4j's events to the platform's {@code System.getLogger("mp4j")} from now on, here and in new workers.
     *
     * @return the platform's logger, now in use.
     */
    public static System.Logger usePlatformLogger()
    {
        System.setProperty(PROPERTY, "platform");
        logger = System.getLogger(NAME);
        return logger;
    }

    /**
     * Logs a message at DEBUG when switched on; the message is not even built otherwise.
     *
     * @param message what to say, built only when it is printed.
     */
    public static void debug(final Supplier<String> message)
    {
        logger.log(System.Logger.Level.DEBUG, message);
    }

    /**
     * Logs a message at TRACE when switched on.
     *
     * @param message what to say, built only when it is printed.
     */
    public static void trace(final Supplier<String> message)
    {
        logger.log(System.Logger.Level.TRACE, message);
    }

    /**
     * Logs a message at INFO: something went wrong that mp4j handles (a worker died, a pool broke).
     *
     * @param message what to say, built only when it is printed.
     */
    public static void info(final Supplier<String> message)
    {
        logger.log(System.Logger.Level.INFO, message);
    }

    static System.Logger fromProperty(final String value)
    {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("off"))
        {
            return Silent.INSTANCE;
        }
        if (value.equalsIgnoreCase("platform"))
        {
            return System.getLogger(NAME);
        }
        for (final System.Logger.Level level : System.Logger.Level.values())
        {
            if (level.getName().equalsIgnoreCase(value.trim()) || (value.equalsIgnoreCase("warn") &&
                level == System.Logger.Level.WARNING))
            {
                return new StderrLogger(level, System.err);
            }
        }
        System.err.println("mp4j: -D" + PROPERTY + "=" + value + " is not a level (trace, debug, info, warning, " +
            "error, off) nor 'platform'; logging at debug");
        return new StderrLogger(System.Logger.Level.DEBUG, System.err);
    }

    /** The default: nothing is logged, nothing is built. */
    private static final class Silent implements System.Logger
    {
        static final Silent INSTANCE = new Silent();

        @Override
        public String getName()
        {
            return NAME;
        }

        @Override
        public boolean isLoggable(final Level level)
        {
            return false;
        }

        @Override
        public void log(final Level level, final Supplier<String> message)
        {
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String message, final Throwable thrown)
        {
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
        {
        }
    }

    /** One line per event on standard error, as Python's {@code log_to_stderr} handler. */
    static final class StderrLogger implements System.Logger
    {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
        private final Level threshold;
        private final PrintStream out;

        StderrLogger(final Level threshold, final PrintStream out)
        {
            this.threshold = threshold;
            this.out = out;
        }

        @Override
        public String getName()
        {
            return NAME;
        }

        @Override
        public boolean isLoggable(final Level level)
        {
            return threshold != Level.OFF && level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String message, final Throwable thrown)
        {
            if (isLoggable(level))
            {
                print(level, message, thrown);
            }
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
        {
            if (isLoggable(level))
            {
                print(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
                    null);
            }
        }

        private void print(final Level level, final String message, final Throwable thrown)
        {
            final String line = "[" + NAME + " " + level.getName() + " " + LocalTime.now().format(TIME) + " pid " +
                ProcessHandle.current().pid() + " " + Thread.currentThread().getName() + "] " + message;
            synchronized (out)
            {
                out.println(line);
                if (thrown != null)
                {
                    thrown.printStackTrace(out);
                }
            }
        }
    }
}
