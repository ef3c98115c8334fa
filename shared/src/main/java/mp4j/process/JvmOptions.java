package mp4j.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JVM options of worker JVMs: heap size, system properties, Java agents and any other JVM flag, for one
 * {@link Process} ({@link Process#jvmOptions(JvmOptions)}) or every worker of a pool
 * ({@code PoolConfig.jvmOptions}). CPython's spawned children run the parent's interpreter with its settings; a
 * worker here is a fresh JVM, so what it inherits is stated here. Immutable: each method returns a new instance.
 * <pre>{@code
 * JvmOptions options = JvmOptions.defaults()
 *     .maxHeap("2g")
 *     .systemProperty("app.mode", "batch")
 *     .javaAgent(Path.of("/opt/agent.jar"), "verbose");
 * try (Pool pool = new Pool(new PoolConfig().processes(4).jvmOptions(options))) { ... }
 * }</pre>
 *
 * <h2>What a worker gets without options</h2>
 * <ul>
 * <li>The flags mp4j needs ({@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}) and lean start flags
 *     (serial GC, no perf data file): a worker is a short-lived JVM, and these halve its start time.</li>
 * <li>Every {@code -Dname=value} given on this JVM's command line, unless {@link #inheritSystemProperties(boolean)}
 *     turns it off or {@code -Dmp4j.worker.inheritProperties=false} is set: code in a worker sees the same
 *     configuration as the parent, as a Python child sees its parent's environment. Properties for the JMX agent
 *     ({@code com.sun.management.*}) are not passed on: each worker would try to open the same port. Properties
 *     set with {@code System.setProperty} at run time are not passed on, except mp4j's own ({@code mp4j.*}).</li>
 * <li>Not this JVM's heap size ({@code -Xmx}, {@code -Xms}), garbage collector, {@code -XX} flags or agents: a
 *     parent sized for a whole application would give that size to each of its N workers, and an agent (a
 *     debugger's port, a monitoring agent) usually must not run N+1 times. A worker's heap is the JVM's default
 *     (a quarter of the memory the machine or container has, committed only as used); set it with
 *     {@link #maxHeap(String)}.</li>
 * <li>The environment ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} too, which the JVM and the
 *     {@code java} launcher read), the working folder, standard output and standard error of the parent.</li>
 * </ul>
 * {@code -Dmp4j.worker.jvmArgs="-Xmx512m -Dkey=value -javaagent:/opt/agent.jar"} adds JVM options to every worker
 * of this JVM, without a code change (separated by white space; no quoting). The options of a {@code Process} or
 * pool come after it, so they win where both set the same thing.
 */
public final class JvmOptions
{
    private static final JvmOptions DEFAULTS = new JvmOptions(null, Map.of(), List.of(), List.of(), true);

    private final String maxHeap;
    private final Map<String, String> systemProperties;
    private final List<String> agents;
    private final List<String> jvmArgs;
    private final boolean inheritSystemProperties;

    private JvmOptions(final String maxHeap, final Map<String, String> systemProperties, final List<String> agents,
        final List<String> jvmArgs, final boolean inheritSystemProperties)
    {
        this.maxHeap = maxHeap;
        this.systemProperties = systemProperties;
        this.agents = agents;
        this.jvmArgs = jvmArgs;
        this.inheritSystemProperties = inheritSystemProperties;
    }

    /**
     * No options beyond what every worker gets (see the class comment).
     *
     * @return the defaults, to add options to.
     */
    public static JvmOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * The worker's maximum heap, as {@code -Xmx}.
     *
     * @param size {@code "512m"}, {@code "2g"}; null for the JVM's default.
     * @return these options with that heap size.
     * @throws IllegalArgumentException when the size is not a number with an optional k, m or g.
     */
    public JvmOptions maxHeap(final String size)
    {
        if (size != null && !size.matches("[0-9]+[kKmMgGtT]?"))
        {
            throw new IllegalArgumentException("a heap size is a number of bytes with an optional k, m, g or t " +
                "(as -Xmx takes it: 512m, 2g), got '" + size + "'");
        }
        return new JvmOptions(size, systemProperties, agents, jvmArgs, inheritSystemProperties);
    }

    /**
     * A system property the worker starts with, as {@code -Dname=value}; set again, the last value counts.
     *
     * @param name  the property's name.
     * @param value its value.
     * @return these options with that property.
     * @throws IllegalArgumentException when the name is empty or holds '='.
     */
    public JvmOptions systemProperty(final String name, final String value)
    {
        Objects.requireNonNull(value, "value");
        if (Objects.requireNonNull(name, "name").isEmpty() || name.contains("=") || name.isBlank())
        {
            throw new IllegalArgumentException("a system property name must be non-empty, without '=', got '" +
                name + "'");
        }
        final Map<String, String> properties = new LinkedHashMap<>(systemProperties);
        properties.put(name, value);
        return new JvmOptions(maxHeap, Collections.unmodifiableMap(properties), agents, jvmArgs,
            inheritSystemProperties);
    }

    /**
     * A Java agent the worker starts with, as {@code -javaagent:jar=options}.
     *
     * @param jar     the agent's jar file.
     * @param options the agent's options, or null.
     * @return these options with that agent.
     * @throws IllegalArgumentException when {@code jar} is not a file: the worker would fail at its start.
     */
    public JvmOptions javaAgent(final Path jar, final String options)
    {
        final Path absolute = Objects.requireNonNull(jar, "jar").toAbsolutePath();
        if (!absolute.toFile().isFile())
        {
            throw new IllegalArgumentException("Java agent " + absolute + " is not a file");
        }
        final List<String> list = new ArrayList<>(agents);
        list.add("-javaagent:" + absolute + (options == null || options.isEmpty() ? "" : "=" + options));
        return new JvmOptions(maxHeap, systemProperties, List.copyOf(list), jvmArgs, inheritSystemProperties);
    }

    /**
     * Any other JVM options, as written on a {@code java} command line, after the rest.
     *
     * @param args options such as {@code "-XX:+UseZGC"}, each starting with '-'.
     * @return these options with those added.
     * @throws IllegalArgumentException when an argument does not start with '-'.
     */
    public JvmOptions jvmArgs(final String... args)
    {
        final List<String> list = new ArrayList<>(jvmArgs);
        for (final String arg : args)
        {
            if (!Objects.requireNonNull(arg, "a JVM argument").startsWith("-"))
            {
                throw new IllegalArgumentException("a JVM option starts with '-', got '" + arg + "' (the worker's " +
                    "main class and class path are mp4j's to set)");
            }
            list.add(arg);
        }
        return new JvmOptions(maxHeap, systemProperties, agents, List.copyOf(list), inheritSystemProperties);
    }

    /**
     * Whether the worker gets the {@code -D} system properties of this JVM's command line (default true; see the
     * class comment).
     *
     * @param inherit false to start workers without them.
     * @return these options with that choice.
     */
    public JvmOptions inheritSystemProperties(final boolean inherit)
    {
        return new JvmOptions(maxHeap, systemProperties, agents, jvmArgs, inherit);
    }

    /**
     * Whether the worker gets the {@code -D} system properties of this JVM's command line.
     *
     * @return false when these options or {@code -Dmp4j.worker.inheritProperties=false} turn it off.
     */
    public boolean inheritsSystemProperties()
    {
        return inheritSystemProperties && Boolean.parseBoolean(
            System.getProperty("mp4j.worker.inheritProperties", "true"));
    }

    /**
     * Whether these are the defaults: a reserve worker, started before any options were known, fits only them.
     *
     * @return true for options that add nothing to the defaults.
     */
    public boolean isDefault()
    {
        return maxHeap == null && systemProperties.isEmpty() && agents.isEmpty() && jvmArgs.isEmpty() &&
            inheritSystemProperties;
    }

    /**
     * The options as {@code java} command-line arguments, in the order they are given to a worker.
     *
     * @return a new list of arguments.
     */
    public List<String> arguments()
    {
        final List<String> arguments = new ArrayList<>();
        if (maxHeap != null)
        {
            arguments.add("-Xmx" + maxHeap);
        }
        systemProperties.forEach((name, value) -> arguments.add("-D" + name + "=" + value));
        arguments.addAll(agents);
        arguments.addAll(jvmArgs);
        return arguments;
    }

    @Override
    public String toString()
    {
        return "JvmOptions" + arguments() + (inheritSystemProperties ? "" : " (no inherited properties)");
    }
}
