package mp4j.sharedmemory;

import mp4j.session.SmallTmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** A block that does not fit in a full shared memory folder (a 256 KiB tmpfs) is refused when it is created. */
class SharedMemoryNoSpaceTest
{
    @RegisterExtension
    final SmallTmpfs tmpfs = new SmallTmpfs(256 * 1024);

    @Test
    void aBlockThatDoesNotFitIsRefusedWithWhatIsFreeAndWhatWasNeeded() throws Exception
    {
        final String before = System.getProperty("mp4j.shm.dir");
        System.setProperty("mp4j.shm.dir", tmpfs.dir().toString());
        try
        {
            final long free = tmpfs.free();
            final SharedMemoryException error = assertThrows(SharedMemoryException.class,
                () -> SharedMemory.create("psm_h18nospace", free + 4096));
            assertEquals("no space left in " + tmpfs.dir() + " (" + free + " bytes free, " + (free + 4096) +
                " needed) for shared memory block 'psm_h18nospace'; free some (see 'df -h " + tmpfs.dir() + "')",
                error.getMessage());
            try (Stream<java.nio.file.Path> files = Files.list(tmpfs.dir()))
            {
                assertEquals(0, files.count());
            }
            try (SharedMemory fits = SharedMemory.create("psm_h18fits", free / 2))
            {
                fits.buf().putLong(0, 7);
                fits.unlink();
            }
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty("mp4j.shm.dir");
            }
            else
            {
                System.setProperty("mp4j.shm.dir", before);
            }
        }
    }
}
