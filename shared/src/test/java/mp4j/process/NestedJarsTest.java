package mp4j.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** A fat jar's libraries and classes, named by both URL forms, become files a worker's class path can hold. */
class NestedJarsTest
{
    @TempDir
    Path dir;
    private String home;

    @BeforeEach
    void cacheInTheTestsFolder()
    {
        home = System.getProperty("user.home");
        System.setProperty("user.home", dir.resolve("home").toString()); // the cache goes under user.home
    }

    @AfterEach
    void restoreHome()
    {
        System.setProperty("user.home", home);
    }

    @Test
    void aJarInAJarAndAFolderInAJarAreCopiedOutOnce() throws Exception
    {
        final byte[] inner = zip("a/A.class", new byte[] {1, 2, 3});
        final Path fat = dir.resolve("app dir/app.jar");
        Files.createDirectories(fat.getParent());
        Files.write(fat, zip("BOOT-INF/lib/inner.jar", inner, "BOOT-INF/classes/app/Main.class", new byte[] {4},
            "BOOT-INF/classes/app/x/Y.class", new byte[] {5}));

        final Path jar = WorkerClassPath.pathOf(new URL("jar:" + fat.toUri() + "!/BOOT-INF/lib/inner.jar!/"));
        assertNotNull(jar);
        assertArrayEquals(inner, Files.readAllBytes(jar));
        assertTrue(jar.startsWith(dir.resolve("home/.cache/mp4j/nested")), jar.toString());

        final Path classes = NestedJars.extracted("jar:nested:" + fat.toString().replace(" ", "%20") +
            "/!BOOT-INF/classes/!/");
        assertNotNull(classes);
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(classes.resolve("app/Main.class")));
        assertArrayEquals(new byte[] {5}, Files.readAllBytes(classes.resolve("app/x/Y.class")));

        assertEquals(jar, NestedJars.extracted("jar:nested:" + fat + "/!BOOT-INF/lib/inner.jar"), "copied once");
        try (var files = Files.list(jar.getParent()))
        {
            assertEquals(1, files.count(), "no temporary folder left beside the copy");
        }
    }

    @Test
    void whatIsNotInTheJarOrClimbsOutOfItIsNoPath() throws Exception
    {
        final Path fat = dir.resolve("app.jar");
        Files.write(fat, zip("BOOT-INF/lib/inner.jar", new byte[] {1}));
        assertNull(NestedJars.extracted("jar:" + fat.toUri() + "!/BOOT-INF/lib/missing.jar!/"));
        assertNull(NestedJars.extracted("jar:" + fat.toUri() + "!/../../etc/passwd!/"));
        assertNull(NestedJars.extracted("jar:" + dir.resolve("no.jar").toUri() + "!/x.jar!/"));
        assertNull(NestedJars.extracted("jrt:/java.base"));
    }

    private static byte[] zip(final Object... namesAndBytes) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes))
        {
            for (int i = 0; i < namesAndBytes.length; i += 2)
            {
                zip.putNextEntry(new ZipEntry((String)namesAndBytes[i]));
                zip.write((byte[])namesAndBytes[i + 1]);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
