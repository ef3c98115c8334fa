package mp4j.session;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A small session in a temporary folder for each test, closed and deleted after it, also when it failed:
 * {@code @RegisterExtension final TempSession temp = new TempSession();} then {@code temp.session()}.
 */
public final class TempSession implements BeforeEachCallback, AfterEachCallback
{
    private Path dir;
    private Session session;

    public Session session()
    {
        return session;
    }

    @Override
    public void beforeEach(final ExtensionContext context) throws IOException
    {
        dir = Files.createTempDirectory("mp4j-test-");
        session = Session.create(dir, 8, 64, 1 << 20);
    }

    @Override
    public void afterEach(final ExtensionContext context) throws IOException
    {
        session.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
    }
}
