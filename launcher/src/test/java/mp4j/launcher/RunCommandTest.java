package mp4j.launcher;

import mp4j.process.WorkerCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code launcher run --cp PATH MAIN ARGS}: a user's program whose classes are on PATH only, run in a JVM that has
 * the launcher on its class path and mp4j's flags, as {@code java -jar mp4j.jar run} does.
 */
class RunCommandTest
{
    private static final String APP = """
        package app;

        import mp4j.process.Process;
        import mp4j.sharedctypes.Value;

        public class Main
        {
            public static void main(String[] args) throws Exception
            {
                if (args.length > 0 && args[0].equals("exit"))
                {
                    System.exit(Integer.parseInt(args[1]));
                }
                if (args.length > 0 && args[0].equals("throw"))
                {
                    throw new IllegalStateException("thrown by the program");
                }
                Value counter = new Value('i', 1);
                Process p = new Process(a -> counter.set(counter.get() * 10 + a.length)).daemon(true);
                p.start();
                p.join();
                System.out.println("args " + String.join(",", args) + " worker exit " + p.exitCode() + " value " +
                    counter.get());
                Thread later = new Thread(() ->
                {
                    try
                    {
                        Thread.sleep(200);
                    }
                    catch (InterruptedException ex)
                    {
                        return;
                    }
                    System.out.println("non-daemon thread finished");
                });
                later.start();
            }
        }
        """;

    private record Result(int exit, String out, String err)
    {
    }

    @Test
    void runsTheProgramAndItsWorkersWithItsClassPathAndWaitsForItsThreads(@TempDir final Path dir) throws Exception
    {
        final Result result = run(dir, "run", "--cp", compile(dir).toString(), "app.Main", "--not-an-option", "b");
        assertEquals(0, result.exit, result.err);
        assertTrue(result.out.contains("args --not-an-option,b worker exit 0 value 10"), result.out + result.err);
        assertTrue(result.out.contains("non-daemon thread finished"), "the JVM waited for the program's thread: " +
            result.out);
    }

    @Test
    void theProgramsExitCodeAndUncaughtExceptionAreJavas(@TempDir final Path dir) throws Exception
    {
        final String app = compile(dir).toString();
        assertEquals(7, run(dir, "run", "--cp", app, "app.Main", "exit", "7").exit);
        final Result thrown = run(dir, "run", "--cp", app, "app.Main", "throw");
        assertEquals(1, thrown.exit);
        assertTrue(thrown.err.contains("Exception in thread \"main\" java.lang.IllegalStateException: thrown by " +
            "the program"), thrown.err);
    }

    @Test
    void aMissingMainClassSaysWhereItLooked(@TempDir final Path dir) throws Exception
    {
        final Result result = run(dir, "run", "--cp", dir.resolve("nowhere").toString(), "app.Missing");
        assertEquals(1, result.exit);
        assertTrue(result.err.contains("error: main class app.Missing was not found on the class path " +
            dir.resolve("nowhere") + " (these entries do not exist: " + dir.resolve("nowhere") + ")"), result.err);
        assertEquals(2, run(dir, "run").exit, "MAIN is required");
    }

    private static Path compile(final Path dir) throws Exception
    {
        final Path source = dir.resolve("src/app/Main.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, APP);
        final Path classes = dir.resolve("classes");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp",
            System.getProperty("java.class.path"), source.toString()));
        return classes;
    }

    /** The launcher in a JVM of its own, with the flags its jar's manifest gives it. */
    private static Result run(final Path dir, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(WorkerCommand.javaBinary(), WorkerCommand.AGRONA_EXPORTS,
            "-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        command.addAll(List.of(args));
        final Path out = dir.resolve("out.txt");
        final Path err = dir.resolve("err.txt");
        final java.lang.Process jvm = new ProcessBuilder(command).redirectOutput(out.toFile())
            .redirectError(err.toFile()).start();
        try
        {
            assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), "the launcher did not exit");
            return new Result(jvm.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        }
        finally
        {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
