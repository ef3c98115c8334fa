package mp4j.launcher;

import mp4j.cluster.JvmFlags;
import mp4j.cluster.NodeProcess;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A launcher command that joins a cluster runs an Ignite client in this JVM, which needs Ignite's JVM flags.
 * {@code java -jar mp4j.jar} has them (the jar's manifest opens the packages); a JVM started otherwise, or a JDK
 * that would print its {@code sun.misc.Unsafe} warning, runs the same command again in a child JVM that has them,
 * so the user never types a flag.
 */
final class ClusterJvm
{
    private static final String RELAUNCHED = "mp4j.relaunched";

    private ClusterJvm()
    {
    }

    /** Null when this JVM can join a cluster as it is; else the exit code of the command run in a JVM that can. */
    static Integer relaunchIfNeeded(final CommandSpec spec) throws Exception
    {
        if ((JvmFlags.missing().isEmpty() && !JvmFlags.unsafeWarningExpected()) || Boolean.getBoolean(RELAUNCHED))
        {
            return null; // when relaunched and still missing flags, JvmFlags.check() says which
        }
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        command.addAll(JvmFlags.forJava(Runtime.version().feature()));
        command.add("-D" + RELAUNCHED + "=true");
        if (System.getProperty("mp4j.debug") != null)
        {
            command.add("-Dmp4j.debug=" + System.getProperty("mp4j.debug"));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Launcher.class.getName());
        command.addAll(spec.root().commandLine().getParseResult().originalArgs());
        final Process child = new ProcessBuilder(command).inheritIO().start();
        final Thread stop = new Thread(child::destroy, "mp4j-relaunched-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try
        {
            return child.waitFor();
        }
        finally
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(stop);
            }
            catch (final IllegalStateException ex)
            {
                // exiting: the hook stops the child
            }
        }
    }

    /** The node JVM's command: {@link NodeProcess} with this launcher's class path. */
    static List<String> nodeCommand(final String heap, final List<String> nodeArgs)
    {
        return NodeProcess.command(null, heap, nodeArgs);
    }
}
