package mp4j.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Class data for worker JVMs, made once per build and mapped by every later worker instead of parsing, verifying
 * and linking the same classes again:
 * <ul>
 * <li>AppCDS, on every JDK: the first worker of a build dumps a dynamic archive at its exit
 *     ({@code -XX:ArchiveClassesAtExit}, JDK 13+) into a private file that its parent renames into place when the
 *     worker has exited, so concurrent first workers never see a half-written archive;</li>
 * <li>on JDK 25 and later, with {@code -Dmp4j.worker.aot=true}, the JDK's AOT cache instead (JEP 483, made in one
 *     step with JEP 514's {@code -XX:AOTCacheOutput}, with JEP 515's method profiles): classes loaded and linked,
 *     the module graph, the lambdas' call sites. A training JVM ({@link ArchivedClasses#main}) started in the
 *     background, apart from any session and with its output discarded, runs a worker's paths and writes the cache;
 *     workers start without it until it is there (a few seconds after the first worker of a build). Not the
 *     default: measured on JDK 25, a worker started with it registered later than with AppCDS (256 against 226 ms,
 *     Pool(4) ready 742 against 715 ms; docs/benchmarks-analysis.md, "Cold start on JDK 25").</li>
 * </ul>
 * Both live in {@code ~/.cache/mp4j/cds/}, named after the JVM and the class path (its paths, then its jars' sizes
 * and times), so a rebuilt jar or another JDK gets its own; making one for a rebuilt jar removes the ones of its
 * earlier builds (same JVM and paths), so the folder does not grow by one archive per build.
 * {@code -Dmp4j.worker.cds=false} turns both off.
 */
final class WorkerClassDataSharing
{
    /**
     * A dumper that has not finished within this long was killed (its parent died, say, and took it along): the
     * next worker dumps instead. Workers without the archive start slower and, on a busy machine, exit slower,
     * so an abandoned dump must not hold the others back for long.
     */
    private static final long STALE_LOCK_MS = 5_000;
    /** A training of the AOT cache takes seconds (it starts a second JVM to write the cache): longer on a busy box. */
    private static final long STALE_TRAINING_MS = 300_000;
    /** Archives named as before their names had two parts are removed once this old. */
    private static final long LEGACY_ARCHIVE_MS = TimeUnit.DAYS.toMillis(1);
    /** The JDK whose AOT cache workers use. */
    static final int AOT_FEATURE = 25;
    /** The class that trains the AOT cache (the training JVM's main). */
    static final String TRAINING_MAIN = "mp4j.process.ArchivedClasses";

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
            final Path directory = directory();
            Files.createDirectories(directory);
            return usesAotCache() ? aotCache(directory, classPath) : appCds(directory, classPath);
        }
        catch (final IOException | RuntimeException ex)
        {
            return new Options(List.of(), null, null); // no cache folder: workers start without an archive
        }
    }

    static Path directory()
    {
        return Path.of(System.getProperty("user.home"), ".cache", "mp4j", "cds");
    }

    static boolean usesAotCache()
    {
        return Runtime.version().feature() >= AOT_FEATURE &&
            Boolean.parseBoolean(System.getProperty("mp4j.worker.aot", "false"));
    }

    private static Options appCds(final Path directory, final String classPath) throws IOException
    {
        final Path archive = directory.resolve(name(classPath) + ".jsa");
        final List<String> args = new ArrayList<>();
        args.add("-Xlog:cds=off");
        args.add("-Xlog:cds+dynamic=off");
        if (Files.isRegularFile(archive))
        {
            args.add("-XX:SharedArchiveFile=" + archive);
            return new Options(args, null, archive);
        }
        if (!tryLock(archive, STALE_LOCK_MS))
        {
            return new Options(args, null, archive);
        }
        prune(directory, classPath);
        final Path dumped = directory.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() +
            "-" + System.nanoTime() + ".tmp");
        args.add("-XX:ArchiveClassesAtExit=" + dumped);
        args.add("-Dmp4j.worker.cdsDumper=true"); // how the worker knows its exit is slow (see WorkerMain)
        return new Options(args, dumped, archive);
    }

    /** JDK 25+: the AOT cache if it is there; if not, a training in the background, and no cache this time. */
    private static Options aotCache(final Path directory, final String classPath) throws IOException
    {
        final Path cache = directory.resolve(name(classPath) + ".aot");
        if (Files.isRegularFile(cache))
        {
            return new Options(List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off"), null, cache);
        }
        if (tryLock(cache, STALE_TRAINING_MS))
        {
            prune(directory, classPath);
            train(cache, classPath);
        }
        return new Options(List.of(), null, cache);
    }

    /**
     * Starts the training JVM: the worker's own command line (its flags and class path: the cache is only valid
     * with the same) with {@link #TRAINING_MAIN} as its main, writing the cache into a private file that the shell
     * around it renames into place once complete. It outlives this JVM if need be, runs niced, prints nowhere.
     */
    private static void train(final Path cache, final String classPath)
    {
        final Path written = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + "-" +
            System.nanoTime() + ".tmp");
        final List<String> worker = WorkerCommand.build(Path.of("unused"), 0, List.of(
            "-XX:AOTCacheOutput=" + written, "-Xlog:aot*=off", "-Xlog:cds*=off"));
        final List<String> java = new ArrayList<>(worker.subList(0, worker.size() - 3)); // without main and its args
        final int cp = java.indexOf("-cp");
        if (cp >= 0 && cp + 1 < java.size())
        {
            java.set(cp + 1, classPath);
        }
        java.add(TRAINING_MAIN);
        final List<String> command = new ArrayList<>(List.of("sh", "-c",
            "written=$1; cache=$2; lock=$3; shift 3; " +
                "if command -v nice >/dev/null 2>&1; then nice -n 10 \"$@\"; else \"$@\"; fi; " +
                "if [ -s \"$written\" ]; then mv -f \"$written\" \"$cache\"; fi; " +
                "rm -f \"$written\" \"$written.config\" \"$lock\"",
            "mp4j-aot-training", written.toString(), cache.toString(), lockOf(cache).toString()));
        command.addAll(java);
        try
        {
            new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        }
        catch (final IOException ex)
        {
            try
            {
                Files.deleteIfExists(lockOf(cache)); // no shell here: workers go without the cache
            }
            catch (final IOException ignore)
            {
                // best effort
            }
        }
    }

    /** One maker at a time: true if this process may make {@code archive}. A lock older than {@code staleMs} goes. */
    private static boolean tryLock(final Path archive, final long staleMs) throws IOException
    {
        try
        {
            Files.createFile(lockOf(archive));
            return true;
        }
        catch (final IOException ex)
        {
            if (isOlderThan(lockOf(archive), staleMs))
            {
                Files.deleteIfExists(lockOf(archive)); // its maker died; the next worker makes it
            }
            return false;
        }
    }

    /**
     * Removes the archives and caches of earlier builds of the same class path on the same JVM (their names start
     * as this build's does), leftovers of makers that died, and archives named the old way once they are a day old.
     */
    static void prune(final Path directory, final String classPath)
    {
        final String current = name(classPath);
        final String samePaths = current.substring(0, current.lastIndexOf('-') + 1);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "worker-*"))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                final boolean earlierBuild = name.startsWith(samePaths) && !name.startsWith(current + ".");
                final boolean leftover = name.endsWith(".tmp") || name.endsWith(".config") || name.endsWith(".lock");
                final boolean legacy = name.matches("worker-[0-9a-f]+\\.jsa");
                if ((earlierBuild && !leftover) || (leftover && isOlderThan(file, STALE_TRAINING_MS)) ||
                    (legacy && isOlderThan(file, LEGACY_ARCHIVE_MS)))
                {
                    Files.deleteIfExists(file); // a JVM that maps it keeps its mapping
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // best effort: an archive left behind costs disk, not correctness
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

    private static boolean isOlderThan(final Path file, final long millis)
    {
        try
        {
            final FileTime modified = Files.getLastModifiedTime(file);
            return System.currentTimeMillis() - modified.toMillis() > millis;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * {@code worker-PATHS-BUILD}: PATHS names the JVM and the class path's entries, BUILD their sizes and times, so
     * that a rebuilt jar keeps PATHS and changes BUILD.
     */
    static String name(final String classPath)
    {
        final StringBuilder paths = new StringBuilder(System.getProperty("java.home"))
            .append('|').append(System.getProperty("java.vm.version"));
        final StringBuilder build = new StringBuilder();
        for (final String entry : classPath.split(File.pathSeparator))
        {
            final File file = new File(entry);
            paths.append('|').append(entry);
            build.append('|').append(file.length()).append(':').append(file.lastModified());
        }
        return "worker-" + Long.toHexString(fnv1a(paths.toString())) + "-" + Long.toHexString(fnv1a(build.toString()));
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
