package mp4j.util;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static java.lang.System.Logger.Level.*;
import static org.junit.jupiter.api.Assertions.*;

/** The levels the property names, and what a stderr line says. */
class LoggingUnitTest
{
    @Test
    void thePropertyNamesALevelPlatformOrNothing()
    {
        assertFalse(Logging.fromProperty(null).isLoggable(ERROR), "silent by default");
        assertFalse(Logging.fromProperty("off").isLoggable(ERROR));
        assertTrue(Logging.fromProperty("debug").isLoggable(DEBUG));
        assertFalse(Logging.fromProperty("debug").isLoggable(TRACE));
        assertFalse(Logging.fromProperty("INFO").isLoggable(DEBUG));
        assertTrue(Logging.fromProperty("warn").isLoggable(WARNING));
        assertEquals(System.getLogger(Logging.NAME).getClass(), Logging.fromProperty("platform").getClass());
    }

    @Test
    void aLineNamesLevelPidAndThreadAndIsBuiltOnlyWhenPrinted()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final System.Logger logger = new Logging.StderrLogger(INFO, new PrintStream(bytes, true,
            StandardCharsets.UTF_8));
        logger.log(DEBUG, () -> fail("a message below the threshold must not be built"));
        logger.log(INFO, () -> "a worker died");
        final String line = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(line.matches("\\[mp4j INFO \\d\\d:\\d\\d:\\d\\d\\.\\d{3} pid " + ProcessHandle.current().pid() + " " +
            Thread.currentThread().getName() + "] a worker died\\R"), line);
    }
}
