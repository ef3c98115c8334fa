package mp4j.session;

import mp4j.inspect.SessionSnapshot;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random corruption of a session file's header, process table and directory: attaching and inspecting it either
 * works or fails with a {@link SessionFileException}; never another exception, a hang or a crash.
 */
class SessionCorruptionPropertiesTest
{
    @Property(tries = 300)
    void corruptFilesAreRefusedOrDecodedSafely(
        @ForAll @Size(min = 1, max = 16) final List<@IntRange(min = 0, max = 8191) Integer> offsets,
        @ForAll @Size(min = 16, max = 16) final List<Byte> values) throws IOException
    {
        final Path dir = Files.createTempDirectory("mp4j-corrupt");
        try
        {
            final Path file;
            try (Session session = Session.create(dir, 4, 8, 4096))
            {
                session.directory().allocate(ObjectKind.VALUE, "v", 'i', 4, 1, 0);
                session.processTable().claim(0, "w", "process", true);
                file = session.file();
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                for (int i = 0; i < offsets.size(); i++)
                {
                    channel.write(ByteBuffer.wrap(new byte[] {values.get(i)}), offsets.get(i));
                }
            }
            try (Session attached = Session.openReadOnly(file))
            {
                final SessionSnapshot snapshot = SessionSnapshot.of(attached);
                assertNotNull(snapshot.header());
            }
            catch (final SessionFileException refused)
            {
                assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
            }
        }
        finally
        {
            try (var files = Files.list(dir))
            {
                for (final Path p : (Iterable<Path>)files::iterator)
                {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
