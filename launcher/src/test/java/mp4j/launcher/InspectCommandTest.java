package mp4j.launcher;

import mp4j.process.Process;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

class InspectCommandTest
{
    @Test
    void showsTheLiveSessionsProcessesAndObjects() throws Exception
    {
        final Session session = Session.current();
        session.directory().allocate(ObjectKind.VALUE, "inspected-value", 'i', 4, 1, 0);
        final Process sleeper = new Process(Nothing.class)
            .name("inspected-worker").start();
        try
        {
            sleeper.join();
            final Cli json = Cli.run("inspect", session.file().toString(), "--json");
            assertEquals(0, json.exitCode(), json.err());
            assertTrue(json.out().startsWith("{\"header\":{"), json.out());
            assertTrue(json.out().contains("\"name\":\"" + session.name() + "\""), json.out());
            assertTrue(json.out().contains("\"name\":\"MainProcess\""), json.out());
            assertTrue(json.out().contains("\"name\":\"inspected-worker\""), json.out());
            assertTrue(json.out().contains("\"pid\":" + sleeper.pid()), json.out());
            assertTrue(json.out().contains("\"state\":\"EXITED\",\"exitCode\":0"), json.out());
            assertTrue(json.out().contains("\"name\":\"inspected-value\",\"kind\":\"VALUE\",\"typeCode\":\"i\""),
                json.out());

            final Cli text = Cli.run("inspect", session.file().toString());
            assertEquals(0, text.exitCode(), text.err());
            assertTrue(text.out().contains("PROCESSES") && text.out().contains("inspected-worker"), text.out());
            assertTrue(text.out().contains("inspected-value"), text.out());

            final Cli hex = Cli.run("inspect", session.file().toString(), "--hex");
            assertEquals(0, hex.exitCode(), hex.err());
            assertTrue(hex.out().contains("== header [0, 4096)") && hex.out().contains("== payload areas [") &&
                hex.out().contains("== data area"), hex.out());

            final Cli watch = Cli.run("inspect", session.name(), "--watch", "--count", "2", "--interval", "50");
            assertEquals(0, watch.exitCode(), watch.err());
            assertEquals(2, watch.out().split("PROCESSES", -1).length - 1, watch.out());
        }
        finally
        {
            if (sleeper.isAlive())
            {
                sleeper.kill();
            }
        }
    }

    @Test
    void badFilesGiveAClearErrorAndExitOne(@TempDir final Path dir) throws Exception
    {
        final Path foreign = Files.writeString(dir.resolve("foreign"), "x".repeat(5000));
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rw-------"));
        final Cli result = Cli.run("inspect", foreign.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("is not an mp4j session file"), result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace for a user error: " + result.err());

        final Cli missing = Cli.run("inspect", dir.resolve("nope").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());

        final Cli badName = Cli.run("inspect", "../../etc/passwd-ish");
        assertEquals(1, badName.exitCode());
    }

    @Test
    void namesWithTerminalEscapesAreShownEscaped(@TempDir final Path dir)
    {
        final Path file;
        try (Session session = Session.create(dir, 4, 8, 1 << 16))
        {
            session.processTable().claim(0, "evil\u001b[2J\u0007", "r\u009b31m", false);
            session.directory().allocate(ObjectKind.VALUE, "obj\nforged line", 'i', 4, 1, 0);
            file = session.file();
        }
        final Cli text = Cli.run("inspect", file.toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("evil\\x1b[2J\\x07") && text.out().contains("obj\\nforged line"), text.out());
        assertFalse(text.out().lines().anyMatch(l -> l.startsWith("forged line")), text.out());
        assertTrue(text.out().chars().noneMatch(InspectCommandTest::isControl), "a raw control character in: " +
            text.out());

        final Cli json = Cli.run("inspect", file.toString(), "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"name\":\"evil\\u001b[2J\\u0007\"") &&
            json.out().contains("\"role\":\"r\\u009b31m\""), json.out());
        assertTrue(json.out().strip().chars().noneMatch(InspectCommandTest::isControl), "a raw control character in: " +
            json.out());
    }

    /** What a terminal acts on: C0 controls but the line ends, DEL, C1 controls (0x9b is CSI, as ESC [). */
    private static boolean isControl(final int c)
    {
        return c != '\n' && c != '\r' && Character.isISOControl(c);
    }

    @Test
    void usageErrorsExitTwo()
    {
        assertEquals(2, Cli.run("inspect", "--interval").exitCode());
        assertEquals(2, Cli.run("no-such-command").exitCode());
        assertEquals(2, Cli.run("daemon", "--parent-seconds", "abc").exitCode());
        assertEquals(2, Cli.run("daemon", "--parent-seconds", "-1").exitCode());
        assertEquals(2, Cli.run("inspect", "a", "b").exitCode());
        assertEquals(2, Cli.run().exitCode());
        assertEquals(0, Cli.run("--version").exitCode());
        assertEquals(0, Cli.run("--help").exitCode());
        assertTrue(Cli.run("--version").out().contains("layout version " + SessionLayout.LAYOUT_VERSION));
    }
}
