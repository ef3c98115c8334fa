package mp4j.pool;

import mp4j.process.WorkerCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A worker whose JVM dies of a fatal error (as one does of a SIGBUS in a truncated session file) is a dead worker
 * like any other, and it leaves no crash report in the working folder, which is the user's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerCrashTest
{
    @Test
    void aWorkerWhoseJvmCrashesIsReplacedAndItsReportIsNotInTheWorkingFolder() throws Exception
    {
        final Path workingFolder = Path.of("").toAbsolutePath();
        final List<Path> before = crashReports(workingFolder);
        WorkerDiedException error = null;
        final List<Long> pids = new java.util.ArrayList<>();
        try (Pool pool = new Pool(new PoolConfig().processes(1).maxRetries(1)))
        {
            try
            {
                error = assertThrows(WorkerDiedException.class, () -> pool.apply(a -> crash()));
                assertTrue(error.getMessage().contains("had run 2 times"), error.getMessage());
                assertEquals(4, (int)pool.<Integer>apply(a -> 4), "the pool goes on");
            }
            finally
            {
                pool.workers().forEach(worker -> pids.add(worker.pid()));
            }
        }
        finally
        {
            for (final long pid : pids)
            {
                final Path report = WorkerCommand.crashReport(pid);
                if (report != null && !report.toString().equals(reportNamed(error)))
                {
                    Files.deleteIfExists(report); // the first crash's; the second's is read below
                }
            }
            final List<Path> littered = crashReports(workingFolder);
            littered.removeAll(before);
            for (final Path report : littered)
            {
                Files.deleteIfExists(report);
            }
            assertEquals(List.of(), littered, "crash reports written into the working folder");
        }
        final Matcher report = Pattern.compile("its JVM crashed: see (\\S+\\.log)").matcher(error.getMessage());
        assertTrue(report.find(), error.getMessage());
        final Path reportFile = Path.of(report.group(1));
        try
        {
            assertTrue(Files.readString(reportFile).contains("A fatal error has been detected"), reportFile.toString());
        }
        finally
        {
            Files.deleteIfExists(reportFile);
        }
    }

    private static String reportNamed(final WorkerDiedException error)
    {
        final Matcher report = Pattern.compile("its JVM crashed: see (\\S+\\.log)")
            .matcher(error == null ? "" : error.getMessage());
        return report.find() ? report.group(1) : null;
    }

    /** Writes to address 0 the way a mapped-memory access does: the JVM dies of SIGSEGV with a crash report. */
    private static Object crash() throws Exception
    {
        final Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        final Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        unsafeClass.getMethod("putLong", long.class, long.class).invoke(unsafe, 0L, 0L);
        return null;
    }

    private static List<Path> crashReports(final Path folder) throws IOException
    {
        try (Stream<Path> files = Files.list(folder))
        {
            return new java.util.ArrayList<>(files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList());
        }
    }
}
