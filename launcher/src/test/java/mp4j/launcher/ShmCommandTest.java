package mp4j.launcher;

import mp4j.sharedmemory.ShareableList;
import mp4j.sharedmemory.SharedMemory;
import mp4j.sharedmemory.SharedMemoryNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;

class ShmCommandTest
{
    private final List<String> names = new ArrayList<>();
    private String out;
    private String err;

    private String name()
    {
        final String name = "psm_c" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        names.add(name);
        return name;
    }

    @AfterEach
    void cleanUp() throws IOException
    {
        for (final String name : names)
        {
            Files.deleteIfExists(SharedMemoryNames.directory().resolve(name));
        }
    }

    private int run(final String... args)
    {
        final CommandLine commandLine = Launcher.commandLine();
        final StringWriter outText = new StringWriter();
        final StringWriter errText = new StringWriter();
        commandLine.setOut(new PrintWriter(outText, true));
        commandLine.setErr(new PrintWriter(errText, true));
        final int code = commandLine.execute(args);
        out = outText.toString();
        err = errText.toString();
        return code;
    }

    @Test
    void createListDumpUnlink() throws IOException
    {
        final String name = name();
        assertEquals(0, run("shm", "create", name, "64K"));
        assertTrue(out.contains("created /dev/shm/" + name + " (65536 bytes, mode 0600)"), out);
        final Path file = SharedMemoryNames.directory().resolve(name);
        assertEquals(65536, Files.size(file));

        assertEquals(1, run("shm", "create", name, "1K"));
        assertTrue(err.contains("already exists"), err);

        try (SharedMemory attached = SharedMemory.attach(name))
        {
            attached.buf().putByte(0, (byte)0xab);
            assertEquals(0, run("shm", "list"));
            assertTrue(out.lines().anyMatch(l -> l.startsWith(name) && l.contains("65536") && l.contains("bytes") &&
                l.contains(Long.toString(ProcessHandle.current().pid()))), out);
            assertEquals(0, run("shm", "list", "--json"));
            assertTrue(out.contains("\"name\":\"" + name + "\",\"path\":\"/dev/shm/" + name + "\",\"size\":65536"), out);
            assertTrue(out.contains("\"pid\":" + ProcessHandle.current().pid()), out);
        }

        assertEquals(0, run("shm", "dump", name, "--bytes", "16"));
        assertTrue(out.contains("|00000000| ab 00 00"), out);
        assertTrue(out.contains("65520 more bytes"), out);
        assertTrue(out.contains("not a ShareableList"), out);

        assertEquals(0, run("shm", "unlink", name));
        assertTrue(out.contains("unlinked /dev/shm/" + name), out);
        assertFalse(Files.exists(file));
        assertEquals(1, run("shm", "unlink", name));
        assertTrue(err.contains("does not exist"), err);
        assertEquals(1, run("shm", "dump", name));
        assertTrue(err.contains("does not exist"), err);
    }

    @Test
    void dumpDecodesAShareableList()
    {
        try (ShareableList list = ShareableList.create(name(), Arrays.asList(42L, "héllo", null, new byte[] {1}, 0.5, true)))
        {
            assertEquals(0, run("shm", "dump", list.name()));
            assertTrue(out.contains("ShareableList of 6 items, format 'q8sxxxxxx?x8sdxxxxxxx?'"), out);
            assertTrue(out.contains("[1] str      8s         'héllo'"), out);
            assertTrue(out.contains("[3] bytes    8s         b'\\x01'"), out);
            assertEquals(0, run("shm", "dump", list.name(), "--json"));
            assertTrue(out.contains("\"items\":[{\"index\":0,\"format\":\"q\",\"type\":\"int\",\"value\":42,\"repr\":\"42\"}"), out);
            assertTrue(out.contains("\"value\":\"héllo\""), out);
            assertEquals(0, run("shm", "list"));
            assertTrue(out.contains("ShareableList(6 items)"), out);
            list.unlink();
        }
    }

    @Test
    void truncatedAndForeignFilesAreReportedNotCrashedOn() throws IOException
    {
        final String name = name();
        final Path file = SharedMemoryNames.directory().resolve(name);
        try (ShareableList list = ShareableList.create(name, Arrays.asList(1L, 2L, 3L)))
        {
            final byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, 20)); // truncated under an attached process
            assertEquals(0, run("shm", "dump", name));
            assertTrue(out.contains("20 bytes"), out);
            assertTrue(out.contains("not a ShareableList: its item count 3 does not fit its 20 bytes"), out);
        }
        Files.write(file, new byte[0]);
        assertEquals(0, run("shm", "dump", name));
        assertTrue(out.contains("0 bytes") && out.contains("less than the 16 of an empty list"), out);
        Files.write(file, "hello, not a list at all".getBytes());
        assertEquals(0, run("shm", "dump", name, "--json"));
        assertTrue(out.contains("\"shareableList\":null,\"notShareableList\":"), out);
        Files.delete(file);
    }

    @Test
    void badInputIsAUsageError()
    {
        assertEquals(2, run("shm", "create", "../evil", "1K"));
        assertTrue(err.contains("contains '/'"), err);
        assertEquals(2, run("shm", "create", "a..b", "1K"));
        assertEquals(2, run("shm", "create", "x".repeat(256), "1K"));
        assertTrue(err.contains("255"), err);
        assertEquals(2, run("shm", "create", "ok_name_never_made", "0"));
        assertEquals(2, run("shm", "create", "ok_name_never_made", "-5"));
        assertEquals(2, run("shm", "create", "ok_name_never_made", "12Q"));
        assertEquals(2, run("shm", "create", "ok_name_never_made", "3G"));
        assertTrue(err.contains("2 GiB"), err);
        assertFalse(Files.exists(SharedMemoryNames.directory().resolve("ok_name_never_made")));
        assertEquals(2, run("shm", "dump", "/etc/passwd"));
        assertEquals(2, run("shm", "unlink", ".."));
        assertEquals(2, run("shm"));
        assertEquals(2, run("shm", "unlink", "mp4j-1-0000abcd"));
        assertTrue(err.contains("reserved for mp4j's session files"), err);
    }

    @Test
    void createAndUnlinkFollowOneNameRule()
    {
        for (final String bad : new String[] {"a\nb", "evil\u001b[2J", "bell\u0007", "mp4j-1-deadbeef", "mp4j-x"})
        {
            names.add(bad); // removed after the test, should it have been made all the same
            assertEquals(2, run("shm", "create", bad, "1K"), bad);
            final String created = err.lines().findFirst().orElse("");
            assertFalse(Files.exists(SharedMemoryNames.directory().resolve(bad)), "created " + bad);
            assertEquals(2, run("shm", "unlink", bad), bad);
            assertEquals(created, err.lines().findFirst().orElse(""), "one rule, one message");
            assertTrue(created.contains("control character") || created.contains("reserved for mp4j's session files"),
                created);
            assertTrue(err.contains("Usage: launcher shm unlink"), "the usage of the subcommand: " + err);
            assertTrue(err.chars().noneMatch(c -> c == 0x1b || c == 0x07), "the name is shown escaped: " + err);
        }
    }

    @Test
    void hostileNamesAreListedEscaped() throws IOException
    {
        final String name = name() + "\u001b]0;owned\u0007\nforged line";
        names.add(name);
        Files.createFile(SharedMemoryNames.directory().resolve(name),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        assertEquals(0, run("shm", "list"));
        assertTrue(out.contains("\\x1b]0;owned\\x07\\nforged line"), out);
        assertFalse(out.lines().anyMatch(l -> l.startsWith("forged line")), out);
        assertTrue(out.chars().noneMatch(c -> c == 0x1b || c == 0x07), "no raw escape in: " + out);
        assertEquals(0, run("shm", "list", "--json"));
        assertTrue(out.contains("\\u001b]0;owned\\u0007\\nforged line"), out);
        assertTrue(out.chars().noneMatch(c -> c == 0x1b || c == 0x07), "no raw escape in: " + out);
    }
}
