package mp4j.launcher;

import mp4j.process.Process;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** scripts/inspect.py follows the same layout description as the Java inspector. */
class InspectPyTest
{
    static Path script(final String name)
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("scripts")))
        {
            dir = dir.getParent();
        }
        assertNotNull(dir, "cannot find the project's scripts/ folder");
        return dir.resolve("scripts").resolve(name);
    }

    static boolean hasPython()
    {
        try
        {
            return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    static String run(final String... command) throws Exception
    {
        final java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue() + "\n" + out;
    }

    @Test
    void pythonAndJavaDecodeTheSameSession() throws Exception
    {
        Assumptions.assumeTrue(hasPython(), "python3 is not installed: skipping the inspect.py test");
        final Session session = Session.current();
        session.directory().allocate(ObjectKind.ARRAY, "py-visible", 'd', 80, 10, 0);
        final Process p = new Process(mp4j.launcher.bench.ProcessStartBench.Nothing.class).name("py-worker").start();
        p.join();
        final String py = run("python3", script("inspect.py").toString(), "--json", session.file().toString());
        assertTrue(py.startsWith("0\n"), py);
        assertTrue(py.contains("\"name\": \"" + session.name() + "\""), py);
        assertTrue(py.contains("\"pid\": " + p.pid() + ", \"name\": \"py-worker\""), py);
        assertTrue(py.contains("\"state\": \"EXITED\", \"exitCode\": 0"), py);
        assertTrue(py.contains("\"name\": \"py-visible\", \"kind\": \"ARRAY\", \"typeCode\": \"d\""), py);
        assertTrue(py.contains("\"creatorAlive\": true"), py);
        final String text = run("python3", script("inspect.py").toString(), "--hex", session.file().toString());
        assertTrue(text.startsWith("0\n") && text.contains("PROCESSES") && text.contains("== header"), text);
    }

    @Test
    void pythonRefusesAForeignFile() throws Exception
    {
        Assumptions.assumeTrue(hasPython(), "python3 is not installed: skipping the inspect.py test");
        final Path foreign = Files.createTempFile("foreign", ".bin",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try
        {
            Files.writeString(foreign, "z".repeat(5000));
            final String out = run("python3", script("inspect.py").toString(), foreign.toString());
            assertTrue(out.startsWith("1\n") && out.contains("not an mp4j session file"), out);
        }
        finally
        {
            Files.deleteIfExists(foreign);
        }
    }
}
