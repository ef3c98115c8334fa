package mp4j.launcher;

import mp4j.process.Process;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.session.SessionLayout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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
        final Process p = new Process(Nothing.class).name("py-worker").start();
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

    /**
     * Copies of a real session file damaged as a disk, a bug or a hostile user would: each gives inspect.py's
     * output or one clear "error:" line and exit code 1, never a Python traceback; and the same verdict as
     * {@code launcher inspect} (both follow SessionLayout, both refuse what it does not describe).
     */
    @Test
    void damagedCopiesGiveOneLineErrorsAsTheJavaInspectorNeverATraceback(@TempDir final Path dir) throws Exception
    {
        Assumptions.assumeTrue(hasPython(), "python3 is not installed: skipping the inspect.py test");
        // a real session, small (the default one has a 64 MiB data area), with processes and objects
        final byte[] real;
        try (Session session = Session.create(dir, 8, 16, 1 << 16))
        {
            final int worker = session.processTable().claim(0, "fuzz-worker", "process", false);
            session.processTable().setIdentity(worker, mp4j.util.ProcessIdentity.current());
            session.processTable().claim(0, "fuzz-daemon", "process", true);
            session.directory().allocate(ObjectKind.VALUE, "fuzz-value", 'q', 64, 1, 0);
            session.directory().allocate(ObjectKind.ARRAY, "fuzz-array", 'd', 64 + 80, 10, 0);
            session.directory().allocate(ObjectKind.LOCK, "fuzz-lock", 0, 64, 0, 0);
            session.directory().allocate(ObjectKind.QUEUE, "fuzz-queue", 0, 4096, 0, 0);
            real = Files.readAllBytes(session.file());
            Files.delete(session.file());
        }
        final ByteBuffer header = ByteBuffer.wrap(real).order(ByteOrder.LITTLE_ENDIAN);
        final int directory =
            (int)SessionLayout.directoryOffset(header.getInt(SessionLayout.PROCESS_SLOT_COUNT_OFFSET));
        final int directoryEnd = directory + header.getInt(SessionLayout.DIRECTORY_USED_OFFSET) *
            SessionLayout.ENTRY_LENGTH;

        final Map<String, Supplier<byte[]>> copies = new LinkedHashMap<>();
        copies.put("file length -1", () -> patchLong(real, SessionLayout.FILE_LENGTH_OFFSET, -1));
        copies.put("file length 0", () -> patchLong(real, SessionLayout.FILE_LENGTH_OFFSET, 0));
        copies.put("slot count 1<<30", () -> patchInt(real, SessionLayout.PROCESS_SLOT_COUNT_OFFSET, 1 << 30));
        copies.put("directory used -1", () -> patchInt(real, SessionLayout.DIRECTORY_USED_OFFSET, -1));
        copies.put("directory used huge", () -> patchInt(real, SessionLayout.DIRECTORY_USED_OFFSET, Integer.MAX_VALUE));
        copies.put("data allocated -1", () -> patchLong(real, SessionLayout.DATA_ALLOCATED_OFFSET, -1));
        copies.put("first entry kind -5", () -> patchInt(real, directory + SessionLayout.ENTRY_KIND_OFFSET, -5));
        copies.put("first entry kind -100", () -> patchInt(real, directory + SessionLayout.ENTRY_KIND_OFFSET, -100));
        copies.put("first entry kind 99", () -> patchInt(real, directory + SessionLayout.ENTRY_KIND_OFFSET, 99));
        copies.put("first entry type code -1",
            () -> patchInt(real, directory + SessionLayout.ENTRY_TYPE_CODE_OFFSET, -1));
        copies.put("first entry type code huge",
            () -> patchInt(real, directory + SessionLayout.ENTRY_TYPE_CODE_OFFSET, Integer.MAX_VALUE));
        copies.put("first entry offset huge",
            () -> patchLong(real, directory + SessionLayout.ENTRY_OFFSET_OFFSET, Long.MAX_VALUE / 2));
        copies.put("first entry length -1", () -> patchLong(real, directory + SessionLayout.ENTRY_LENGTH_OFFSET, -1));
        copies.put("first entry lock far away",
            () -> patchLong(real, directory + SessionLayout.ENTRY_LOCK_OFFSET_OFFSET, 1L << 40));
        final Random random = new Random(18);
        for (int i = 0; i < 12; i++)
        {
            final long seed = random.nextLong();
            copies.put("random entry, seed " + seed, () ->
            {
                final Random r = new Random(seed);
                final byte[] copy = real.clone();
                final byte[] entry = new byte[SessionLayout.ENTRY_LENGTH];
                r.nextBytes(entry);
                System.arraycopy(entry, 0, copy, directory + SessionLayout.ENTRY_LENGTH * r.nextInt(4), entry.length);
                return copy;
            });
        }
        for (final int length : new int[] {0, 7, 100, 4095, 4096, directory, real.length / 2, real.length - 1})
        {
            copies.put("truncated to " + length, () -> java.util.Arrays.copyOf(real, length));
        }
        for (int i = 0; i < 40; i++)
        {
            // a few random bytes over the header, the process table or the directory: where damage is decoded
            final long seed = random.nextLong();
            copies.put("random bytes, seed " + seed, () ->
            {
                final Random r = new Random(seed);
                final byte[] copy = real.clone();
                for (int n = 1 + r.nextInt(8); n > 0; n--)
                {
                    copy[r.nextInt(directoryEnd + 64)] = (byte)r.nextInt();
                }
                return copy;
            });
        }

        // the interpreter itself, not a version manager's shim in front of it: a hundred runs
        final String python = run("python3", "-c", "import sys; print(sys.executable)").lines().skip(1)
            .findFirst().orElse("python3");
        System.setProperty("mp4j.dir", dir.toString()); // the launcher's start sweeps this empty folder only
        try
        {
            int n = 0;
            for (final Map.Entry<String, Supplier<byte[]>> damaged : copies.entrySet())
            {
                final Path copy = dir.resolve("copy-" + n);
                Files.write(copy, damaged.getValue().get());
                Files.setPosixFilePermissions(copy,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                final String what = damaged.getKey() + " (" + copy + ")";
                final String py = run(python, script("inspect.py").toString(), "--json", copy.toString());
                assertPyAnswer(what, py);
                if (n++ % 4 == 0)
                {
                    assertPyAnswer(what + " as text", run(python, script("inspect.py").toString(), copy.toString()));
                }
                final Cli java = Cli.run("inspect", copy.toString(), "--json");
                assertEquals(java.exitCode() + "", py.substring(0, py.indexOf('\n')),
                    what + ": Java and Python disagree; java: " + java.out() + java.err() + " python: " + py);
                Files.delete(copy);
            }
        }
        finally
        {
            System.clearProperty("mp4j.dir");
        }
    }

    /** Exit code 0, or 1 with one line "error: ..."; never a traceback. */
    private static void assertPyAnswer(final String what, final String exitAndOutput)
    {
        assertFalse(exitAndOutput.contains("Traceback"), what + ": " + exitAndOutput);
        if (exitAndOutput.startsWith("1\n"))
        {
            final String output = exitAndOutput.substring(2).strip();
            assertTrue(output.startsWith("error: ") && output.lines().count() == 1, what + ": " + output);
        }
        else
        {
            assertTrue(exitAndOutput.startsWith("0\n"), what + ": " + exitAndOutput);
        }
    }

    private static byte[] patchInt(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return copy;
    }

    private static byte[] patchLong(final byte[] bytes, final int offset, final long value)
    {
        final byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
        return copy;
    }
}
