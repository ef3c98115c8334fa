package mp4j.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a server node's JVM: this JVM's {@code java}, the flags Ignite needs (so the user never
 * types them), this JVM's class path, {@link NodeMain} and its arguments.
 */
public final class NodeProcess
{
    private NodeProcess()
    {
    }

    /**
     * The command that starts a server node in a new JVM, for a {@link ProcessBuilder}.
     *
     * @param classPath  where mp4j-cluster and Ignite are (null: this JVM's class path).
     * @param heap       the node's {@code -Xmx}, e.g. {@code 512m} (null: the JVM's default).
     * @param nodeArgs   {@link NodeMain}'s arguments.
     * @return a new list: the java binary, its flags ({@code -Dmp4j.debug} passed on when set here), the class path,
     *         NodeMain and {@code nodeArgs}.
     */
    public static List<String> command(final String classPath, final String heap, final List<String> nodeArgs)
    {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(JvmFlags.forJava(Runtime.version().feature()));
        command.add("-Djava.net.preferIPv4Stack=true");
        if (heap != null)
        {
            command.add("-Xmx" + heap);
        }
        for (final String property : List.of("mp4j.debug"))
        {
            if (System.getProperty(property) != null)
            {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-cp");
        command.add(classPath != null ? classPath : System.getProperty("java.class.path"));
        command.add(NodeMain.class.getName());
        command.addAll(nodeArgs);
        return command;
    }

    static String javaBinary()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
