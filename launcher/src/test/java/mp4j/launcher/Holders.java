package mp4j.launcher;

import mp4j.process.WorkerCommand;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Processes that map or hold open a file while a test checks that nobody removes it: started, awaited until they
 * say they hold it, and killed after each test, also when it failed.
 * {@code @RegisterExtension final Holders holders = new Holders();}
 */
final class Holders implements AfterEachCallback
{
    private final List<java.lang.Process> started = new ArrayList<>();
    private final Map<java.lang.Process, String> firstLines = new HashMap<>();

    /** Runs {@code command} and returns once it has printed its first line (it holds the file by then). */
    java.lang.Process start(final List<String> command) throws IOException
    {
        final java.lang.Process process = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(process);
        final String line = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        assertNotNull(line, "the holder " + command + " printed nothing; it exited with " + exitCode(process));
        firstLines.put(process, line);
        return process;
    }

    /** What {@code process} printed first. */
    String firstLine(final java.lang.Process process)
    {
        return firstLines.get(process);
    }

    /** A JVM of this user that maps {@code file} (and closes it: only the mapping holds it). */
    java.lang.Process mapping(final Path file) throws IOException
    {
        return start(List.of(WorkerCommand.javaBinary(), "-XX:-UsePerfData", "-cp", WorkerCommand.classPath(),
            MapFileMain.class.getName(), file.toString()));
    }

    /** A shell that holds {@code file} open for reading, as an fd only (no mapping). */
    static List<String> holdingOpen(final Path file)
    {
        return List.of("sh", "-c", "exec 3<\"$1\" && echo open && exec sleep 120", "sh", file.toString());
    }

    /** Kills {@code process} and waits until it is gone (and reaped). */
    static void kill(final java.lang.Process process) throws InterruptedException
    {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "pid " + process.pid() + " did not die");
    }

    private static String exitCode(final java.lang.Process process)
    {
        try
        {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "(still running)";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    @Override
    public void afterEach(final ExtensionContext context) throws InterruptedException
    {
        for (final java.lang.Process process : started)
        {
            kill(process);
        }
        started.clear();
        firstLines.clear();
    }
}
