package mp4j.worker;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a main class in a class loader of its own, as {@code mvn exec:java}, IDE runners and application servers do:
 * this JVM's {@code java.class.path} holds only this class, the application (and mp4j) are in the loader.
 * <pre>
 *   java -cp BOOT mp4j.worker.IsolatedLauncher APP_CLASS_PATH MAIN [ARGS...]
 * </pre>
 */
public final class IsolatedLauncher
{
    private IsolatedLauncher()
    {
    }

    public static void main(final String[] args) throws Throwable
    {
        final List<URL> urls = new ArrayList<>();
        for (final String entry : args[0].split(File.pathSeparator))
        {
            urls.add(Path.of(entry).toUri().toURL());
        }
        final URLClassLoader loader = new URLClassLoader("isolated", urls.toArray(URL[]::new),
            ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        try
        {
            Class.forName(args[1], true, loader).getMethod("main", String[].class)
                .invoke(null, (Object)Arrays.copyOfRange(args, 2, args.length));
        }
        catch (final InvocationTargetException ex)
        {
            throw ex.getCause();
        }
    }
}
