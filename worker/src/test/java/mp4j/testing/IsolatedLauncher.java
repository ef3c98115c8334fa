package mp4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Runs a main class in a class loader of its own, as {@code mvn exec:java}, IDE runners and application servers do:
 * this JVM's {@code java.class.path} holds only this class, the application (and mp4j) are in the loader.
 * <pre>
 *   java -cp BOOT mp4j.testing.IsolatedLauncher APP_CLASS_PATH MAIN [ARGS...]
 *   java -cp BOOT mp4j.testing.IsolatedLauncher fat:FAT_JAR MAIN [ARGS...]
 * </pre>
 * The second form loads everything from a "fat" jar's {@code BOOT-INF/lib/*.jar} and {@code BOOT-INF/classes/},
 * naming each class's code source with a nested URL ({@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/}), as Spring
 * Boot's launcher does.
 */
public final class IsolatedLauncher
{
    private IsolatedLauncher()
    {
    }

    public static void main(final String[] args) throws Throwable
    {
        final ClassLoader loader;
        if (args[0].startsWith("fat:"))
        {
            loader = new FatJarLoader(Path.of(args[0].substring("fat:".length())));
        }
        else
        {
            final List<URL> urls = new ArrayList<>();
            for (final String entry : args[0].split(File.pathSeparator))
            {
                urls.add(Path.of(entry).toUri().toURL());
            }
            loader = new URLClassLoader("isolated", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        }
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

    /** Classes from the jars and the folder inside a fat jar, each with its nested URL as code source. */
    static final class FatJarLoader extends URLClassLoader
    {
        private static final URLStreamHandler NO_STREAMS = new URLStreamHandler()
        {
            @Override
            protected URLConnection openConnection(final URL url) throws IOException
            {
                throw new IOException("a test URL, not for reading: " + url);
            }
        };
        /** Per nested URL, its class files by resource name. */
        private final Map<URL, Map<String, byte[]>> sources = new HashMap<>();
        private final Map<URL, ProtectionDomain> domains = new HashMap<>();

        FatJarLoader(final Path fat) throws IOException
        {
            super("fat", new URL[0], ClassLoader.getPlatformClassLoader());
            try (ZipFile zip = new ZipFile(fat.toFile()))
            {
                final URL classesUrl = nested(fat, "BOOT-INF/classes");
                final Map<String, byte[]> classes = new HashMap<>();
                for (final Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); )
                {
                    final ZipEntry entry = entries.nextElement();
                    if (entry.getName().startsWith("BOOT-INF/classes/") && !entry.isDirectory())
                    {
                        classes.put(entry.getName().substring("BOOT-INF/classes/".length()),
                            zip.getInputStream(entry).readAllBytes());
                    }
                    else if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar"))
                    {
                        add(nested(fat, entry.getName()), read(zip.getInputStream(entry)));
                    }
                }
                add(classesUrl, classes);
            }
        }

        private static URL nested(final Path fat, final String inner) throws IOException
        {
            return new URL(null, "jar:" + fat.toUri() + "!/" + inner + "!/", NO_STREAMS);
        }

        private void add(final URL url, final Map<String, byte[]> files)
        {
            sources.put(url, files);
            domains.put(url, new ProtectionDomain(new CodeSource(url, (Certificate[])null), null, this, null));
            addURL(url); // what getURLs() shows, as Spring Boot's loader shows its nested jars
        }

        private static Map<String, byte[]> read(final InputStream jar) throws IOException
        {
            final Map<String, byte[]> files = new HashMap<>();
            try (ZipInputStream in = new ZipInputStream(jar))
            {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; )
                {
                    if (!entry.isDirectory())
                    {
                        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        in.transferTo(bytes);
                        files.put(entry.getName(), bytes.toByteArray());
                    }
                }
            }
            return files;
        }

        @Override
        protected Class<?> findClass(final String name) throws ClassNotFoundException
        {
            final String file = name.replace('.', '/') + ".class";
            for (final Map.Entry<URL, Map<String, byte[]>> source : sources.entrySet())
            {
                final byte[] bytes = source.getValue().get(file);
                if (bytes != null)
                {
                    return defineClass(name, bytes, 0, bytes.length, domains.get(source.getKey()));
                }
            }
            throw new ClassNotFoundException(name);
        }

        @Override
        public URL findResource(final String name)
        {
            return null; // the programs these tests run read no resources
        }

        @Override
        public Enumeration<URL> findResources(final String name)
        {
            return java.util.Collections.emptyEnumeration();
        }
    }
}
