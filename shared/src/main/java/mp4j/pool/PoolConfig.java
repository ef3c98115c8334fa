package mp4j.pool;

import mp4j.process.JvmOptions;

import java.util.Objects;

/**
 * How to make a {@link Pool}: Python's {@code Pool(processes, initializer, initargs, maxtasksperchild)}, plus
 * what mp4j adds: how often a task whose worker died is re-run, and which classes arguments may carry.
 */
public final class PoolConfig
{
    int processes = Runtime.getRuntime().availableProcessors();
    StarFunction<?> initializer;
    Object[] initArgs = new Object[0];
    int maxTasksPerChild;
    int maxRetries = 2;
    String allow = "";
    String name;
    JvmOptions jvmOptions = JvmOptions.defaults();

    /** Worker JVMs, as Python's {@code processes} (default: available processors). */
    public PoolConfig processes(final int processes)
    {
        if (processes < 1)
        {
            throw new IllegalArgumentException("a pool needs at least one process, got " + processes);
        }
        this.processes = processes;
        return this;
    }

    /** Runs {@code initializer(initArgs)} in each worker as it starts, as Python's {@code initializer}. */
    public PoolConfig initializer(final StarFunction<?> initializer, final Object... initArgs)
    {
        this.initializer = Objects.requireNonNull(initializer, "initializer");
        this.initArgs = initArgs == null ? new Object[0] : initArgs;
        return this;
    }

    /** A worker exits after this many tasks and a fresh one replaces it (0: never), as Python's. */
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
     * its result fails with {@link WorkerDiedException}.
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
     */
    public PoolConfig allow(final String patterns)
    {
        this.allow = Objects.requireNonNull(patterns, "patterns");
        return this;
    }

    /**
     * The JVM options of every worker of the pool: heap size, system properties, agents (default:
     * {@link JvmOptions#defaults()}, whose comment says what a worker inherits from this JVM).
     */
    public PoolConfig jvmOptions(final JvmOptions options)
    {
        this.jvmOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /** The name the inspector shows (default Pool-N). */
    public PoolConfig name(final String name)
    {
        this.name = name;
        return this;
    }
}
