package mp4j.session;

import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.*;

/** A file mapped or held open by a live process is seen as in use; a closed and unmapped one is not. */
class FileUsersTest
{
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void seesAMappingAfterItsFileWasClosedAndAnOpenFile(@TempDir final Path dir) throws Exception
    {
        final Path mappedFile = Files.write(dir.resolve("mapped"), new byte[4096]);
        final Path openFile = Files.write(dir.resolve("open"), new byte[16]);
        final Path idleFile = Files.write(dir.resolve("idle"), new byte[16]);
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(mappedFile, StandardOpenOption.READ))
        {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, 4096);
        }
        try (FileChannel open = FileChannel.open(openFile, StandardOpenOption.READ))
        {
            final FileUsers users = FileUsers.scan(dir);
            assertTrue(users.pids(mappedFile).contains(SELF), "mapped, with its file closed");
            assertTrue(users.pids(openFile).contains(SELF), "held open");
            assertEquals(java.util.List.of(), users.pids(idleFile));
            assertTrue(FileUsers.describe(users.pids(openFile)).contains("pid " + SELF + " ("),
                FileUsers.describe(users.pids(openFile)));
        }
        IoUtil.unmap(mapped);
        final FileUsers after = FileUsers.scan(dir);
        assertFalse(after.pids(mappedFile).contains(SELF), "unmapped");
        assertFalse(after.pids(openFile).contains(SELF), "closed");
    }

    @Test
    void aNewFileUnderAnOldNameIsNotTheOldOne(@TempDir final Path dir) throws Exception
    {
        final Path file = Files.write(dir.resolve("reused"), new byte[16]);
        try (FileChannel open = FileChannel.open(file, StandardOpenOption.READ))
        {
            Files.delete(file);
            Files.write(file, new byte[16]); // same name, another inode: nobody uses this one
            assertFalse(FileUsers.scan(dir).pids(file).contains(SELF));
        }
    }
}
