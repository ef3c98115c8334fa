package mp4j.pool;

import mp4j.process.JvmOptions;

import java.util.Objects;

/**
 * How to make a {@link Pool}: Python's {@code Pool(processes, initializer, initargs, maxtasksperchild)}, plus
 * what mp4j adds: how often a task whose worker died is re-run, and which classes arguments may carry.
 */
public final class PoolConfig
{
    /**
     * Python's defaults: as many workers as available processors, no initializer, no task limit per worker; and
     * mp4j's: 2 retries, no classes allowed beyond the serial filter's rule, {@link JvmOptions#defaults()}.
     */
    public PoolConfig()
    {
    }

    int processes = Runtime.getRuntime().availableProcessors();
    StarFunction<?> initializer;
    Object[] initArgs = new Object[0];
    int maxTasksPerChild;
    int maxRetries = 2;
    String allow = "";
    String name;
    JvmOptions jvmOptions = JvmOptions.defaults();

    /**
     * Worker JVMs, as Python's {@code processes} (default: available processors).
     *
     * @param processes how many worker JVMs the pool runs at once, 1 or more
     * @return this config
     * @throws IllegalArgumentException if {@code processes} is below 1
     */
    public PoolConfig processes(final int processes)
    {
        if (processes < 1)
        {
            throw new IllegalArgumentException("a pool needs at least one process, got " + processes);
        }
        this.processes = processes;
        return this;
    }

    /**
     * Runs {@code initializer(initArgs)} in each worker as it starts (a replacement too), before its first task, as
     * Python's {@code initializer} and {@code initargs}.
     *
     * @param initializer a serializable function; what it returns is ignored
     * @param initArgs    its arguments, each encodable; none or null for none
     * @return this config
     * @throws NullPointerException if {@code initializer} is null
     */
    public PoolConfig initializer(final StarFunction<?> initializer, final Object... initArgs)
    {
        this.initializer = Objects.requireNonNull(initializer, "initializer");
        this.initArgs = initArgs == null ? new Object[0] : initArgs;
        return this;
    }

    /**
     * A worker exits after this many tasks and a fresh one replaces it, as Python's {@code maxtasksperchild}.
     *
     * @param maxTasksPerChild tasks (chunks, for a map) a worker runs before it is replaced; 0 (the default) for
     *                         no limit
     * @return this config
     * @throws IllegalArgumentException if {@code maxTasksPerChild} is negative
     */
    public PoolConfig maxTasksPerChild(final int maxTasksPerChild)
    {
        if (maxTasksPerChild < 0)
        {
            throw new IllegalArgumentException("maxTasksPerChild must be 0 (no limit) or positive, got " +
                maxTasksPerChild);
        }
        this.maxTasksPerChild = maxTasksPerChild;
        return this;
    }

    /**
     * How many times a task is re-run on a fresh worker when the worker running it dies (default 2); past that
     * its result fails with {@link WorkerDiedException}. Python has none: its pool waits forever.
     *
     * @param maxRetries re-runs per task, 0 to fail at the first death
     * @return this config
     * @throws IllegalArgumentException if {@code maxRetries} is negative
     */
    public PoolConfig maxRetries(final int maxRetries)
    {
        if (maxRetries < 0)
        {
            throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
        }
        this.maxRetries = maxRetries;
        return this;
    }

    /**
     * Classes this pool's functions, arguments and results may carry beyond what the one rule of
     * {@link mp4j.codec.SerialFilter} trusts (the program's own classes and the JDK's values), as its patterns
     * ({@code com.example.**;org.acme.Point}).
     *
     * @param patterns patterns as in {@code -Dmp4j.serial.allow}, separated by {@code ;}; empty (the default) for
     *                 the rule alone. A malformed one fails the pool's constructor
     * @return this config
     * @throws NullPointerException if {@code patterns} is null
     */
    public PoolConfig allow(final String patterns)
    {
        this.allow = Objects.requireNonNull(patterns, "patterns");
        return this;
    }

    /**
     * The JVM options of every worker of the pool: heap size, system properties, agents (default:
     * {@link JvmOptions#defaults()}, whose comment says what a worker inherits from this JVM).
     *
     * @param options the options every worker, replacements included, starts with
     * @return this config
     * @throws NullPointerException if {@code options} is null
     */
    public PoolConfig jvmOptions(final JvmOptions options)
    {
        this.jvmOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * The name the inspector shows for the pool's entry and its workers.
     *
     * @param name the pool's name; null (the default) for {@code Pool-N}, N counting this JVM's pools
     * @return this config
     */
    public PoolConfig name(final String name)
    {
        this.name = name;
        return this;
    }
}
