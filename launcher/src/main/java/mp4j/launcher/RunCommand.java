package mp4j.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code launcher run [--cp PATH] MAIN [ARGS...]}: runs a user's program as {@code java -cp PATH MAIN ARGS} would,
 * in this JVM, which has what mp4j needs (the launcher jar's manifest exports {@code jdk.internal.misc} for
 * Agrona). The program is loaded by a class loader of its own over PATH; its workers get PATH too (mp4j reads it
 * from that loader, see {@code WorkerClassPath}). The JVM then ends as {@code java}'s would: when the program's
 * last non-daemon thread ends, or at its {@code System.exit}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Runs MAIN as 'java -cp PATH MAIN ARGS' would, with what mp4j needs and no JVM",
        "flags: this JVM has Agrona's export, and the workers get your class path.",
        "JVM options go in JDK_JAVA_OPTIONS (-Xmx2g, -Dkey=value)."})
final class RunCommand implements Callable<Integer>
{
    /** Set when the program's main returned: the JVM must then wait for its threads, not exit. */
    private static volatile boolean mainReturned;

    @Option(names = {"--cp", "-cp", "--class-path"}, paramLabel = "PATH",
        description = "Your program's jars and folders, separated by '${sys:path.separator}'; 'dir/*' is every jar " +
            "in dir (default: $CLASSPATH, else the current folder). mp4j itself need not be on it.")
    String classPath;

    @Parameters(index = "0", paramLabel = "MAIN", description = "The class whose main(String[]) to run.")
    String mainClass;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for MAIN, options included.")
    List<String> args = new ArrayList<>();

    static boolean mainReturned()
    {
        return mainReturned;
    }

    @Override
    public Integer call() throws Exception
    {
        final String path = classPath != null ? classPath :
            System.getenv("CLASSPATH") != null && !System.getenv("CLASSPATH").isEmpty() ? System.getenv("CLASSPATH") :
            ".";
        final List<String> missing = new ArrayList<>();
        final URLClassLoader loader = new URLClassLoader("app", urls(path, missing),
            RunCommand.class.getClassLoader());
        final Method main = mainMethod(loader, path, missing);
        Thread.currentThread().setContextClassLoader(loader);
        try
        {
            main.invoke(null, (Object)args.toArray(String[]::new));
        }
        catch (final InvocationTargetException ex)
        {
            // as the java launcher reports an uncaught exception of main
            System.err.print("Exception in thread \"" + Thread.currentThread().getName() + "\" ");
            ex.getCause().printStackTrace();
            return 1;
        }
        mainReturned = true;
        return 0;
    }

    private Method mainMethod(final ClassLoader loader, final String path, final List<String> missing)
    {
        final Class<?> type;
        try
        {
            type = Class.forName(mainClass, false, loader);
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new UserException("main class " + mainClass + " was not found on the class path " + path +
                (missing.isEmpty() ? "" : " (these entries do not exist: " + String.join(", ", missing) + ")") +
                "; give your program's jars and folders with --cp");
        }
        try
        {
            final Method main = type.getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers()))
            {
                throw new NoSuchMethodException();
            }
            main.setAccessible(true); // a public main of a class that is not public, as java allows
            return main;
        }
        catch (final NoSuchMethodException ex)
        {
            throw new UserException("class " + mainClass + " has no 'public static void main(String[] args)'");
        }
    }

    /** The class path's entries as URLs; {@code dir/*} means the jars in dir, as for {@code java -cp}. */
    static URL[] urls(final String path, final List<String> missing) throws IOException
    {
        final List<URL> urls = new ArrayList<>();
        for (final String entry : path.split(File.pathSeparator))
        {
            if (entry.isEmpty())
            {
                continue;
            }
            if (entry.equals("*") || entry.endsWith(File.separator + "*"))
            {
                final Path dir = Path.of(entry.substring(0, entry.length() - 1).isEmpty() ? "." :
                    entry.substring(0, entry.length() - 1));
                if (Files.isDirectory(dir))
                {
                    try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.{jar,JAR}"))
                    {
                        for (final Path jar : jars)
                        {
                            urls.add(jar.toAbsolutePath().toUri().toURL());
                        }
                    }
                }
                continue;
            }
            final Path file = Path.of(entry).toAbsolutePath();
            if (!Files.exists(file))
            {
                missing.add(entry);
            }
            urls.add(file.toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
