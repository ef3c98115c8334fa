package mp4j.launcher;

import mp4j.cluster.ClusterConfig;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code --cluster} paths of the headline demos ({@code pool}, {@code lock-value}), kept out of their commands. */
final class ClusterDemos
{
    /** lock-value's increments on a cluster when not given: a locked increment there costs milliseconds. */
    static final long CLUSTER_INCREMENTS = 50;

    private ClusterDemos()
    {
    }

    static int pool(final CommandSpec spec, final String cluster, final int processes, final int tasks,
        final int chunksize, final int work, final boolean sequential, final boolean json)
    {
        final ClusterConfig config = ClusterCommand.config(spec, cluster, 10, false);
        final Integer relaunched = relaunch(spec);
        return relaunched != null ? relaunched : ClusterPoolDemo.run(config, processes, tasks, chunksize, work,
            sequential, json);
    }

    static int lockValue(final CommandSpec spec, final String cluster, final int procs, final long increments,
        final String lock, final boolean json)
    {
        final ClusterConfig config = ClusterCommand.config(spec, cluster, 10, false);
        final Integer relaunched = relaunch(spec);
        if (relaunched != null)
        {
            return relaunched;
        }
        final long actual = spec.commandLine().getParseResult().hasMatchedOption("--increments") ? increments :
            CLUSTER_INCREMENTS;
        return ClusterLockValueDemo.run(config, procs, actual, lock, json);
    }

    private static Integer relaunch(final CommandSpec spec)
    {
        try
        {
            return ClusterJvm.relaunchIfNeeded(spec);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 130;
        }
        catch (final Exception ex)
        {
            throw new UserException("cannot start a JVM with Ignite's flags: " + ex.getMessage());
        }
    }
}
