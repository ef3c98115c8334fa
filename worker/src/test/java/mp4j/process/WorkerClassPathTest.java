package mp4j.process;

import mp4j.testing.IsolatedLauncher;
import mp4j.testing.Targets;
import mp4j.worker.WorkerMain;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Workers start from whatever loaded mp4j: here an isolated class loader in a JVM whose {@code java.class.path}
 * holds neither mp4j nor the application, as under {@code mvn exec:java}; and a user who has mp4j-shared without
 * the worker gets one clear error at the first start, not dying workers.
 */
class WorkerClassPathTest
{
    private static final String APP = """
        package app;

        import mp4j.pool.Pool;
        import mp4j.process.Process;
        import mp4j.sharedctypes.Value;
        import java.util.List;

        public class Hello
        {
            public static void main(String[] args) throws Exception
            {
                Value counter = new Value('i', 0);
                Process p = new Process(a -> counter.set(counter.get() + 41)).daemon(true);
                try
                {
                    p.start();
                }
                catch (IllegalStateException ex)
                {
                    System.out.println("start failed: " + ex.getMessage());
                    System.exit(3);
                }
                p.join();
                System.out.println("process exit " + p.exitCode() + " value " + counter.get());
                try (Pool pool = new Pool(2))
                {
                    System.out.println("pool " + pool.map((Integer x) -> x * x, List.of(1, 2, 3)));
                }
            }
        }
        """;

    @Test
    void workersOfAProgramInAnIsolatedClassLoaderGetItsClassPath(@TempDir final Path dir) throws Exception
    {
        final Result result = runIsolated(dir, mp4jEntries(true), List.of());
        assertEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("process exit 0 value 41"), result.output);
        assertTrue(result.output.contains("pool [1, 4, 9]"), result.output);
    }

    @Test
    void workersOfAProgramLoadedFromAFatJarsNestedJarsGetCopiesOfThem(@TempDir final Path dir) throws Exception
    {
        final Path app = compile(dir, mp4jEntries(true));
        final Path fat = dir.resolve("fat.jar");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(fat)))
        {
            for (final String entry : mp4jEntries(true))
            {
                final Path path = Path.of(entry);
                if (Files.isDirectory(path))
                {
                    addTree(zip, path, "BOOT-INF/classes/");
                }
                else
                {
                    zip.putNextEntry(new java.util.zip.ZipEntry("BOOT-INF/lib/" + path.getFileName()));
                    Files.copy(path, zip);
                }
            }
            addTree(zip, app, "BOOT-INF/classes/");
        }
        final String home = dir.resolve("home").toString(); // where the copies go (~/.cache/mp4j/nested)
        final Result result = launch(dir, "fat:" + fat, List.of("-Duser.home=" + home));
        assertEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("process exit 0 value 41"), result.output);
        assertTrue(result.output.contains("pool [1, 4, 9]"), result.output);
        assertTrue(Files.isDirectory(Path.of(home, ".cache/mp4j/nested")), "the nested jars were copied out");
    }

    private static void addTree(final java.util.zip.ZipOutputStream zip, final Path root, final String prefix)
        throws IOException
    {
        try (var files = Files.walk(root))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                zip.putNextEntry(new java.util.zip.ZipEntry(prefix + root.relativize(file).toString()
                    .replace(File.separatorChar, '/')));
                Files.copy(file, zip);
            }
        }
    }

    @Test
    void theLibraryWithoutTheWorkerFailsAtTheFirstStartNamingTheArtifact(@TempDir final Path dir) throws Exception
    {
        final Result result = runIsolated(dir, mp4jEntries(false), List.of());
        assertEquals(3, result.exit, result.output);
        assertTrue(result.output.contains("start failed: mp4j cannot start a worker JVM: its main class " +
            "mp4j.worker.WorkerMain is not on the class path"), result.output);
        assertTrue(result.output.contains("Depend on io.github.mp4j:mp4j"), result.output);
        assertTrue(result.output.contains("-Dmp4j.worker.classpath="), result.output);
        assertFalse(result.output.contains("Could not find or load main class"), "no worker JVM may have started: " +
            result.output);
    }

    @Test
    void thePropertyGivesWorkersTheClassPathMp4jCouldNotFind(@TempDir final Path dir) throws Exception
    {
        final List<String> workerClassPath = new ArrayList<>(mp4jEntries(true));
        workerClassPath.add(dir.resolve("app").toString());
        final Result result = runIsolated(dir, mp4jEntries(false),
            List.of("-D" + WorkerClassPath.PROPERTY + "=" + String.join(File.pathSeparator, workerClassPath)));
        assertEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("process exit 0 value 41"), result.output);
    }

    @Test
    void aTargetLoadedFromNoFileIsRefusedBeforeAnyWorkerStarts() throws Exception
    {
        // A class defined from bytes, as a framework that generates classes does: no file holds it.
        final Class<?> generated = new BytesLoader().define(Targets.Sleep.class);
        final Process process = new Process(generated.asSubclass(Target.class), 1);
        final IllegalStateException error = assertThrows(IllegalStateException.class, process::start);
        assertTrue(error.getMessage().contains("the target " + Targets.Sleep.class.getName() + " was loaded from"),
            error.getMessage());
        assertTrue(error.getMessage().contains("-D" + WorkerClassPath.PROPERTY + "="), error.getMessage());
        assertThrows(IllegalStateException.class, process::pid, "no worker JVM was started, so there is no pid");
    }

    /** Defines a class from its bytes, with no code source. */
    private static final class BytesLoader extends ClassLoader
    {
        BytesLoader()
        {
            super(WorkerClassPathTest.class.getClassLoader());
        }

        Class<?> define(final Class<?> type) throws IOException
        {
            final String file = type.getName().substring(type.getPackageName().length() + 1) + ".class";
            try (var in = type.getResourceAsStream(file))
            {
                final byte[] bytes = in.readAllBytes();
                return defineClass(type.getName(), bytes, 0, bytes.length);
            }
        }
    }

    /** Where this JVM loaded mp4j-shared, Agrona and (with {@code worker}) the worker's main from. */
    private static List<String> mp4jEntries(final boolean worker) throws URISyntaxException
    {
        final List<String> entries = new ArrayList<>();
        entries.add(location(Process.class));
        entries.add(location(UnsafeBuffer.class));
        if (worker)
        {
            entries.add(location(WorkerMain.class));
        }
        return entries;
    }

    private static String location(final Class<?> type) throws URISyntaxException
    {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private record Result(int exit, String output)
    {
    }

    /** Compiles the application into dir/app and runs it in an isolated loader over it and {@code mp4j}. */
    private static Result runIsolated(final Path dir, final List<String> mp4j, final List<String> jvmArgs)
        throws Exception
    {
        final Path app = compile(dir, mp4j);
        final List<String> loaderPath = new ArrayList<>(mp4j);
        loaderPath.add(app.toString());
        return launch(dir, String.join(File.pathSeparator, loaderPath), jvmArgs);
    }

    private static Path compile(final Path dir, final List<String> mp4j) throws IOException
    {
        final Path source = dir.resolve("src/app/Hello.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, APP);
        final Path app = dir.resolve("app");
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "the tests run on a JDK");
        assertEquals(0, compiler.run(null, null, null, "-d", app.toString(), "-cp",
            String.join(File.pathSeparator, mp4j), source.toString()));
        return app;
    }

    /** Runs app.Hello through {@link IsolatedLauncher}, the only class on the JVM's own class path. */
    private static Result launch(final Path dir, final String loaderArgument, final List<String> jvmArgs)
        throws Exception
    {
        // The JVM's own class path holds this launcher only, as Maven's holds its boot jar under exec:java.
        final Path boot = dir.resolve("boot");
        final Path classes = Path.of(IsolatedLauncher.class.getProtectionDomain().getCodeSource().getLocation()
            .toURI()).resolve("mp4j/testing");
        Files.createDirectories(boot.resolve("mp4j/testing"));
        try (var files = Files.list(classes))
        {
            for (final Path file : files.filter(f -> f.getFileName().toString().startsWith("IsolatedLauncher"))
                .toList())
            {
                Files.copy(file, boot.resolve("mp4j/testing").resolve(file.getFileName()));
            }
        }
        final List<String> command = new ArrayList<>(List.of(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", boot.toString(), IsolatedLauncher.class.getName(), loaderArgument,
            "app.Hello"));
        final java.lang.Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            final String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), "the program did not exit: " + output);
            return new Result(jvm.exitValue(), output);
        }
        finally
        {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
