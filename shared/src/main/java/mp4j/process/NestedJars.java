package mp4j.process;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Jars and folders inside a jar, as executable "fat" jars hold their libraries ({@code BOOT-INF/lib/x.jar},
 * {@code BOOT-INF/classes/}): a JVM cannot take them on its class path, so they are copied out once into
 * {@code ~/.cache/mp4j/nested/}, under a name made of the outer jar's path, size and modification time (a rebuilt
 * jar gets new copies). Both URL forms are read: {@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/} and
 * {@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/}.
 */
final class NestedJars
{
    private NestedJars()
    {
    }

    /** The file or folder holding a copy of what {@code url} names inside a jar; null when it names no such thing. */
    static Path extracted(final String url)
    {
        if (!url.startsWith("jar:"))
        {
            return null;
        }
        final String rest = url.substring("jar:".length());
        final Path outer;
        final String inner;
        if (rest.startsWith("nested:"))
        {
            final int split = rest.indexOf("/!");
            if (split < 0)
            {
                return null;
            }
            final String encoded = rest.substring("nested:".length(), split).replace("+", "%2B"); // '+' is a '+'
            outer = Path.of(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
            inner = trimEnd(rest.substring(split + 2));
        }
        else if (rest.startsWith("file:"))
        {
            final int split = rest.indexOf("!/");
            if (split < 0)
            {
                return null;
            }
            outer = Path.of(URI.create(rest.substring(0, split)));
            inner = trimEnd(rest.substring(split + 2));
        }
        else
        {
            return null;
        }
        if (inner.isEmpty() || inner.contains("!/") || inner.contains(".."))
        {
            return null; // not nested, or nested deeper than a fat jar nests
        }
        try
        {
            return extract(outer.toAbsolutePath(), inner);
        }
        catch (final IOException | RuntimeException ex)
        {
            return null; // the caller reports the URL as one a worker cannot use
        }
    }

    /** {@code BOOT-INF/lib/x.jar!/} and {@code BOOT-INF/classes/!/} without their trailing separators. */
    private static String trimEnd(final String inner)
    {
        String trimmed = inner;
        if (trimmed.endsWith("!/"))
        {
            trimmed = trimmed.substring(0, trimmed.length() - 2);
        }
        while (trimmed.endsWith("/"))
        {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    private static Path extract(final Path outer, final String inner) throws IOException
    {
        final Path cache = Path.of(System.getProperty("user.home"), ".cache", "mp4j", "nested",
            Long.toHexString(fingerprint(outer)));
        final Path target = cache.resolve(inner).normalize();
        if (!target.startsWith(cache))
        {
            return null;
        }
        if (Files.exists(target))
        {
            return target; // copied before, from this very version of the jar
        }
        Files.createDirectories(target.getParent());
        final Path temporary = Files.createTempDirectory(target.getParent(), ".extracting-");
        try (ZipFile zip = new ZipFile(outer.toFile()))
        {
            final ZipEntry file = zip.getEntry(inner);
            final Path copy;
            if (file != null && !file.isDirectory())
            {
                copy = temporary.resolve("file");
                try (InputStream in = zip.getInputStream(file))
                {
                    Files.copy(in, copy);
                }
            }
            else
            {
                copy = temporary.resolve("folder");
                Files.createDirectories(copy);
                final String prefix = inner + "/";
                boolean any = false;
                for (final Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); )
                {
                    final ZipEntry entry = entries.nextElement();
                    if (!entry.getName().startsWith(prefix) || entry.isDirectory())
                    {
                        continue;
                    }
                    final Path out = copy.resolve(entry.getName().substring(prefix.length())).normalize();
                    if (!out.startsWith(copy))
                    {
                        continue; // a name climbing out of the folder is not a class
                    }
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zip.getInputStream(entry))
                    {
                        Files.copy(in, out);
                    }
                    any = true;
                }
                if (!any)
                {
                    return null;
                }
            }
            try
            {
                Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException ex)
            {
                // another JVM copied it at the same time: theirs is the same
            }
            return Files.exists(target) ? target : null;
        }
        finally
        {
            deleteTree(temporary);
        }
    }

    private static long fingerprint(final Path outer) throws IOException
    {
        final String key = outer + "|" + Files.size(outer) + "|" + Files.getLastModifiedTime(outer).toMillis();
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++)
        {
            hash ^= key.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static void deleteTree(final Path root)
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            // a leftover temporary folder in the cache harms nothing
        }
    }
}
