package mp4j.process;

import mp4j.util.Logging;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The class path of a worker JVM, found from where mp4j and the user's code were loaded, as CPython's spawn
 * passes its child {@code sys.path}. A worker runs {@code mp4j.worker.WorkerMain}, so it needs mp4j itself, Agrona
 * and the classes the user's targets and arguments are made of.
 * <p>
 * This JVM's {@code java.class.path} is not always that class path: {@code mvn exec:java}, IDE runners,
 * application servers and {@code launcher run} load the application through a class loader of their own, and
 * {@code java.class.path} is then theirs. So the class path is read from the class loaders: the thread's context
 * class loader, the target class's loader and mp4j's own, each with its parents up to the one that loaded mp4j
 * ({@link URLClassLoader} URLs, and {@code java.class.path} for the JVM's application class loader). Then the
 * places mp4j, its worker main, Agrona and the target class were loaded from (their {@link CodeSource}) must be on
 * it; where one is missing or cannot be named as a file, the first {@link Process#start()} fails with one error
 * that says what was tried and how to fix it, before any worker JVM starts.
 * <p>
 * {@code -Dmp4j.worker.classpath=PATH} (entries separated by {@code File.pathSeparator}) replaces all of this: the
 * workers get exactly that class path.
 */
public final class WorkerClassPath
{
    /** The system property that sets the workers' class path, replacing the one mp4j finds. */
    public static final String PROPERTY = "mp4j.worker.classpath";

    /** What users depend on: the library and the worker's main together. */
    static final String ARTIFACT = "io.github.mp4j:mp4j";

    private static final String AGRONA_CLASS = "org.agrona.concurrent.UnsafeBuffer";

    private static volatile Cached cached;

    private WorkerClassPath()
    {
    }

    /** The last class path found, for the loaders it was found from: nearly every spawn asks the same. */
    private record Cached(WeakReference<ClassLoader> context, WeakReference<ClassLoader> target,
        WeakReference<Class<?>> targetType, String property, Set<String> entries, String classPath)
    {
        boolean serves(final ClassLoader contextLoader, final Class<?> targetType, final String propertyValue)
        {
            if (context.get() != contextLoader || !Objects.equals(property, propertyValue))
            {
                return false;
            }
            if (targetType == null || property != null || this.targetType.get() == targetType)
            {
                return true;
            }
            if (target.get() != targetType.getClassLoader())
            {
                return false;
            }
            final Path path = pathOf(targetType);
            return path != null && entries.contains(path.toString());
        }
    }

    /**
     * The class path for a worker whose target is of {@code targetType} (null when no user class is known yet: a
     * pool's worker or a reserve), for a worker started from the current thread.
     *
     * @param targetType the class of the target the worker will run, or null.
     * @return the class path, entries separated by {@code File.pathSeparator}.
     * @throws IllegalStateException naming what was tried and the fix, when no usable class path can be found.
     */
    public static String forTarget(final Class<?> targetType)
    {
        final String property = blankToNull(System.getProperty(PROPERTY));
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        final Cached last = cached;
        if (last != null && last.serves(context, targetType, property))
        {
            if (targetType != null && last.targetType.get() != targetType)
            {
                cached = new Cached(last.context, last.target, new WeakReference<>(targetType), property, last.entries,
                    last.classPath); // the next start of this target skips even the code source lookup
            }
            return last.classPath;
        }
        final Set<String> entries = property != null ?
            new LinkedHashSet<>(List.of(absolute(List.of(property.split(File.pathSeparator))).split(File.pathSeparator))) :
            find(context, targetType);
        final String classPath = String.join(File.pathSeparator, entries);
        cached = new Cached(new WeakReference<>(context),
            new WeakReference<>(targetType == null ? null : targetType.getClassLoader()), new WeakReference<>(targetType),
            property, entries, classPath);
        return classPath;
    }

    private static String blankToNull(final String value)
    {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Set<String> find(final ClassLoader context, final Class<?> targetType)
    {
        final ClassLoader mp4jLoader = WorkerClassPath.class.getClassLoader();
        final Set<String> entries = new LinkedHashSet<>();
        final List<String> tried = new ArrayList<>();
        final List<ClassLoader> sources = new ArrayList<>();
        sources.add(context);
        sources.add(targetType == null ? null : targetType.getClassLoader());
        sources.add(mp4jLoader);
        final Set<ClassLoader> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (final ClassLoader source : sources)
        {
            for (final ClassLoader loader : chain(source, mp4jLoader))
            {
                if (seen.add(loader))
                {
                    tried.add(readEntries(loader, entries));
                }
            }
        }

        final Class<?> workerMain;
        try
        {
            workerMain = Class.forName(WorkerCommand.WORKER_MAIN, false, mp4jLoader);
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new IllegalStateException("mp4j cannot start a worker JVM: its main class " +
                WorkerCommand.WORKER_MAIN + " is not on the class path that has the library (mp4j-shared, loaded " +
                "from " + describe(WorkerClassPath.class) + "). Depend on " + ARTIFACT + " (the library and the " +
                "worker together) instead of mp4j-shared alone, or set -D" + PROPERTY + "=... to a class path " +
                "that holds the mp4j jar");
        }
        final List<String> missing = new ArrayList<>();
        require(WorkerClassPath.class, "mp4j-shared", entries, missing);
        require(workerMain, "the mp4j worker", entries, missing);
        require(agrona(mp4jLoader), "Agrona", entries, missing);
        if (targetType != null)
        {
            require(targetType, "the target " + (targetType.isHidden() ? "lambda of " +
                targetType.getNestHost().getName() : targetType.getName()), entries, missing);
        }
        if (!missing.isEmpty())
        {
            throw new IllegalStateException("mp4j cannot build the class path of a worker JVM: " +
                String.join("; ", missing) + ". Tried " + String.join(", ", tried) + ". Set -D" + PROPERTY +
                "=... to the jars and folders of your application, mp4j and Agrona (separated by '" +
                File.pathSeparator + "'), or run the program with them on the class path (java -cp, or " +
                "'launcher run --cp PATH MAIN')");
        }
        Logging.debug(() -> "worker class path " + String.join(File.pathSeparator, entries) + " (read from " +
            String.join(", ", tried) + ")");
        return entries;
    }

    /**
     * The loaders to read, parents first: from {@code source} up to the one that loaded mp4j. Loaders above
     * mp4j's belong to whatever runs the application (Maven, an IDE, a server), not to the application.
     */
    private static List<ClassLoader> chain(final ClassLoader source, final ClassLoader mp4jLoader)
    {
        final List<ClassLoader> chain = new ArrayList<>();
        final ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (ClassLoader loader = source; loader != null && loader != platform; loader = loader.getParent())
        {
            chain.add(0, loader);
            if (loader == mp4jLoader)
            {
                break;
            }
        }
        return chain;
    }

    /** Adds what {@code loader} reads classes from to {@code entries}; returns what was read, for the error. */
    private static String readEntries(final ClassLoader loader, final Set<String> entries)
    {
        if (loader == ClassLoader.getSystemClassLoader() && !(loader instanceof URLClassLoader))
        {
            final String classPath = System.getProperty("java.class.path", "");
            entries.addAll(List.of(absolute(List.of(classPath.split(File.pathSeparator))).split(File.pathSeparator)));
            entries.remove("");
            return "java.class.path (" + classPath + ")";
        }
        if (loader instanceof URLClassLoader urls)
        {
            final List<String> unusable = new ArrayList<>();
            for (final URL url : urls.getURLs())
            {
                final Path path = pathOf(url);
                if (path == null)
                {
                    unusable.add(url.toString());
                }
                else
                {
                    entries.add(path.toString());
                }
            }
            return "the URLs of " + loader + (unusable.isEmpty() ? "" : " (not files: " + unusable + ")");
        }
        return loader + " (a " + loader.getClass().getName() + ", whose class path cannot be read)";
    }

    private static void require(final Class<?> type, final String what, final Set<String> entries,
        final List<String> missing)
    {
        final Path path = pathOf(type);
        if (path == null)
        {
            missing.add(what + " was loaded from " + describe(type) + ", which is not a file a JVM can take on " +
                "its class path");
        }
        else
        {
            entries.add(path.toString()); // a loader whose URLs could not be read may still name its code's file
        }
    }

    /** Where {@code type} was loaded from, as a class path entry; null when that is not a file. */
    static Path pathOf(final Class<?> type)
    {
        final CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? null : pathOf(source.getLocation());
    }

    private static Class<?> agrona(final ClassLoader mp4jLoader)
    {
        try
        {
            return Class.forName(AGRONA_CLASS, false, mp4jLoader);
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException("mp4j needs Agrona (org.agrona:agrona) beside it; depend on " + ARTIFACT +
                ", which brings it", ex);
        }
    }

    private static String describe(final Class<?> type)
    {
        final CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "an unknown place (" + type.getClassLoader() + ")" :
            source.getLocation().toString();
    }

    /**
     * The file or folder a class path URL names: {@code file:/a/b.jar} and {@code jar:file:/a/b.jar!/} name
     * {@code /a/b.jar}; a jar or folder inside a jar names a copy of it ({@link NestedJars}); anything else
     * ({@code jrt:}, a server's virtual file system) is null.
     */
    static Path pathOf(final URL url)
    {
        try
        {
            if ("file".equals(url.getProtocol()))
            {
                return Path.of(url.toURI()).toAbsolutePath();
            }
            if ("jar".equals(url.getProtocol()))
            {
                final String spec = url.getPath(); // file:/a/b.jar!/ for a jar: URL
                final int bang = spec.indexOf("!/");
                if (bang > 0 && spec.startsWith("file:") && spec.length() == bang + 2)
                {
                    return pathOf(new URL(spec.substring(0, bang)));
                }
                return NestedJars.extracted(url.toString()); // a fat jar's library: a copy the worker can read
            }
            return null;
        }
        catch (final URISyntaxException | java.net.MalformedURLException | IllegalArgumentException ex)
        {
            return null;
        }
    }

    /** Class path entries made absolute, so that a worker started in another folder finds them too. */
    static String absolute(final List<String> classPath)
    {
        final StringBuilder absolute = new StringBuilder();
        for (final String entry : classPath)
        {
            if (entry.isEmpty())
            {
                continue;
            }
            if (absolute.length() > 0)
            {
                absolute.append(File.pathSeparatorChar);
            }
            absolute.append(Path.of(entry).toAbsolutePath());
        }
        return absolute.toString();
    }
}
