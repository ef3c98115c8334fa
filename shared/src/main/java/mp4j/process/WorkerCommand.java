package mp4j.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a worker JVM, built from this JVM's own {@code java} binary and class path plus the flags
 * the library needs, so that a user never types a JVM flag: {@link JvmOptions} says what a worker inherits and
 * what can be set, {@link WorkerClassPath} how its class path is found.
 */
public final class WorkerCommand
{
    /** The worker's entry point, in the worker module (the library only names it). */
    public static final String WORKER_MAIN = "mp4j.worker.WorkerMain";

    /** What Agrona's UnsafeBuffer needs on JDK 17+. */
    public static final String AGRONA_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private static final String CRASH_REPORT_PREFIX = "mp4j-worker-hs_err_pid";

    private WorkerCommand()
    {
    }

    public static List<String> build(final Path sessionFile, final int slot)
    {
        return build(sessionFile, slot, List.of());
    }

    /** The command line, with {@code jvmArgs} (class data sharing, for instance) before the class path. */
    public static List<String> build(final Path sessionFile, final int slot, final List<String> jvmArgs)
    {
        return build(sessionFile, slot, JvmOptions.defaults(), jvmArgs, classPath());
    }

    /**
     * The command line of a worker: mp4j's flags, the inherited and the configured JVM options (see
     * {@link JvmOptions}), then {@code jvmArgs} (class data sharing), the class path and the worker's main.
     */
    public static List<String> build(final Path sessionFile, final int slot, final JvmOptions options,
        final List<String> jvmArgs, final String classPath)
    {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add(AGRONA_EXPORTS);
        // Lean JVM: a worker's heap is small and short-lived; serial GC starts fastest and needs no GC threads.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:-UsePerfData");
        command.add("-XX:TieredStopAtLevel=" + System.getProperty("mp4j.worker.tier", "4"));
        if (options.inheritsSystemProperties())
        {
            command.addAll(InheritedProperties.ofThisJvm());
        }
        // A worker that crashes (a SIGBUS in a session file truncated under it, say) must not leave its report in
        // the user's folder, which is its working folder: it goes to the temporary folder, where crashReport finds it.
        command.add("-XX:ErrorFile=" + crashReportFolder().resolve(CRASH_REPORT_PREFIX + "%p.log"));
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("mp4j.") && !name.startsWith("mp4j.worker.jvm"))
            {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        final String extra = System.getProperty("mp4j.worker.jvmArgs");
        if (extra != null && !extra.isBlank())
        {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(options.arguments());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(WORKER_MAIN);
        command.add(sessionFile.toAbsolutePath().toString());
        command.add(Integer.toString(slot));
        return command;
    }

    /**
     * The crash report (HotSpot's {@code hs_err} file) a worker JVM wrote when it died of a fatal error, or null when
     * there is none: a pool names it in the error of the tasks that worker held.
     */
    public static Path crashReport(final long pid)
    {
        final Path report = crashReportFolder().resolve(CRASH_REPORT_PREFIX + pid + ".log");
        return java.nio.file.Files.exists(report) ? report : null;
    }

    private static Path crashReportFolder()
    {
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }

    public static String javaBinary()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The class path of a worker started from the current thread: this JVM's own, or the one its class loaders
     * read from (see {@link WorkerClassPath}).
     */
    public static String classPath()
    {
        return WorkerClassPath.forTarget(null);
    }
}
