package mp4j.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A parent JVM, started by {@link JvmOptionsTest} with its own {@code -Xmx} and {@code -D}s, whose workers report
 * what they got: {@code JvmOptionsParentMain DIR} writes DIR/default, DIR/configured and DIR/isolated.
 */
public final class JvmOptionsParentMain
{
    private JvmOptionsParentMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final Process plain = new Process(Report.class, dir.resolve("default").toString()).start();
        final Process configured = new Process(Report.class, dir.resolve("configured").toString())
            .jvmOptions(JvmOptions.defaults().maxHeap("64m").systemProperty("set.here", "by options")
                .systemProperty("inherit.me", "overridden"))
            .start();
        final Process isolated = new Process(Report.class, dir.resolve("isolated").toString())
            .jvmOptions(JvmOptions.defaults().inheritSystemProperties(false))
            .start();
        plain.join();
        configured.join();
        isolated.join();
    }

    /** Writes what this worker JVM got: two properties and its maximum heap in MiB. */
    public static final class Report implements Target
    {
        @Override
        public void run(final Object... args) throws Exception
        {
            Files.writeString(Path.of((String)args[0]), System.getProperty("inherit.me") + " " +
                System.getProperty("set.here") + " " + (Runtime.getRuntime().maxMemory() >> 20));
        }
    }
}
