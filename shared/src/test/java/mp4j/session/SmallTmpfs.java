package mp4j.session;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A small tmpfs, as a nearly full {@code /dev/shm}, mounted for each test and unmounted after it, also when it
 * failed: {@code @RegisterExtension final SmallTmpfs tmpfs = new SmallTmpfs(256 * 1024);} then {@code tmpfs.dir()}.
 * Mounting needs root; elsewhere the test is skipped and says why.
 */
public final class SmallTmpfs implements BeforeEachCallback, AfterEachCallback
{
    private final long bytes;
    private Path dir;
    private boolean mounted;

    public SmallTmpfs(final long bytes)
    {
        this.bytes = bytes;
    }

    public Path dir()
    {
        return dir;
    }

    /** Bytes free in the tmpfs now. */
    public long free() throws IOException
    {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void beforeEach(final ExtensionContext context) throws Exception
    {
        assumeTrue("root".equals(System.getProperty("user.name")),
            "skipped: mounting a small tmpfs (a full /dev/shm) needs root");
        dir = Files.createTempDirectory("mp4j-tmpfs-");
        final int status = run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", dir.toString());
        if (status != 0)
        {
            Files.deleteIfExists(dir);
            assumeTrue(false, "skipped: 'mount -t tmpfs' failed with status " + status + " (a container without " +
                "CAP_SYS_ADMIN?)");
        }
        mounted = true;
    }

    @Override
    public void afterEach(final ExtensionContext context) throws Exception
    {
        if (mounted)
        {
            mounted = false;
            if (run("umount", dir.toString()) != 0)
            {
                run("umount", "-l", dir.toString());
            }
        }
        if (dir != null)
        {
            Files.deleteIfExists(dir);
        }
    }

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
