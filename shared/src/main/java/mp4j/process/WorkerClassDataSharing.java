package mp4j.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * AppCDS for worker JVMs: the classes a worker loads are archived once, and later workers map the archive instead
 * of parsing and verifying those classes again (about a quarter off a worker's start here).
 * <p>
 * The archive lives in {@code ~/.cache/mp4j/cds/}, named after the JVM and the class path (paths, sizes and
 * modification times), so a rebuilt jar or another JDK gets its own. The first worker of a new class path dumps
 * it at exit ({@code -XX:ArchiveClassesAtExit}, JDK 13+) into a private file that its parent renames into place
 * when the worker has exited, so concurrent first workers never see a half-written archive.
 * {@code -Dmp4j.worker.cds=false} turns it off.
 */
final class WorkerClassDataSharing
{
    /**
     * A dumper that has not finished within this long was killed (its parent died, say, and took it along): the
     * next worker dumps instead. Workers without the archive start slower and, on a busy machine, exit slower,
     * so an abandoned dump must not hold the others back for long.
     */
    private static final long STALE_LOCK_MS = 5_000;

    private WorkerClassDataSharing()
    {
    }

    /** The JVM options for a worker about to start, and what to do when it has exited. */
    record Options(List<String> jvmArgs, Path dumped, Path archive)
    {
        /** Called after the worker exited: publishes the archive it dumped, if any. */
        void workerExited()
        {
            if (dumped == null)
            {
                return;
            }
            try
            {
                if (Files.size(dumped) > 0)
                {
                    Files.move(dumped, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            catch (final IOException ex)
            {
                // no archive this time; the next worker tries again
            }
            finally
            {
                try
                {
                    Files.deleteIfExists(dumped);
                    Files.deleteIfExists(lockOf(archive));
                }
                catch (final IOException ignore)
                {
                    // best effort
                }
            }
        }
    }

    static Options options(final String classPath)
    {
        if (!Boolean.parseBoolean(System.getProperty("mp4j.worker.cds", "true")) || !allJars(classPath))
        {
            return new Options(List.of(), null, null);
        }
        try
        {
            final Path directory = Path.of(System.getProperty("user.home"), ".cache", "mp4j", "cds");
            Files.createDirectories(directory);
            final Path archive = directory.resolve("worker-" + fingerprint(classPath) + ".jsa");
            final List<String> args = new ArrayList<>();
            args.add("-Xlog:cds=off");
            args.add("-Xlog:cds+dynamic=off");
            if (Files.isRegularFile(archive))
            {
                args.add("-XX:SharedArchiveFile=" + archive);
                return new Options(args, null, archive);
            }
            try
            {
                Files.createFile(lockOf(archive)); // one dumper at a time
            }
            catch (final IOException ex)
            {
                if (isOldLock(lockOf(archive)))
                {
                    Files.deleteIfExists(lockOf(archive)); // its dumper died; the next worker dumps
                }
                return new Options(args, null, archive);
            }
            final Path dumped = directory.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() +
                "-" + System.nanoTime() + ".tmp");
            args.add("-XX:ArchiveClassesAtExit=" + dumped);
            args.add("-Dmp4j.worker.cdsDumper=true"); // how the worker knows its exit is slow (see WorkerMain)
            return new Options(args, dumped, archive);
        }
        catch (final IOException | RuntimeException ex)
        {
            return new Options(List.of(), null, null); // no cache folder: workers start without an archive
        }
    }

    /** CDS archives classes from jar files only; a class path with folders (a build tree) gains nothing. */
    private static boolean allJars(final String classPath)
    {
        for (final String entry : classPath.split(File.pathSeparator))
        {
            if (!entry.endsWith(".jar") || !new File(entry).isFile())
            {
                return false;
            }
        }
        return true;
    }

    private static Path lockOf(final Path archive)
    {
        return archive.resolveSibling(archive.getFileName() + ".lock");
    }

    private static boolean isOldLock(final Path lock)
    {
        try
        {
            return System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis() > STALE_LOCK_MS;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static String fingerprint(final String classPath)
    {
        final StringBuilder key = new StringBuilder(System.getProperty("java.home"))
            .append('|').append(System.getProperty("java.vm.version"));
        for (final String entry : classPath.split(File.pathSeparator))
        {
            final File file = new File(entry);
            key.append('|').append(entry).append(':').append(file.length()).append(':').append(file.lastModified());
        }
        return Long.toHexString(fnv1a(key.toString()));
    }

    private static long fnv1a(final String s)
    {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++)
        {
            hash ^= s.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
