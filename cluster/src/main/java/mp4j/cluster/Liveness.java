package mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.cluster.ClusterNode;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What mp4j's cluster locks share with its local ones: a holder is named in the shared word (here by its node's
 * topology order, unique in the cluster's life), and a waiter that finds the holder's node gone from the topology
 * takes the lock over, as a local waiter takes over from a dead process. No lock depends on a message reaching
 * its waiters: they poll, backing off from 1 to {@value #MAX_BACKOFF_MS} ms, so a lost message cannot strand one.
 */
final class Liveness
{
    static final long MAX_BACKOFF_MS = 16;

    private Liveness()
    {
    }

    /** This JVM's node: its topology order. */
    static long me(final Ignite ignite)
    {
        return ignite.cluster().localNode().order();
    }

    /** True while the node of topology order {@code order} is in the cluster (this node's view, no round trip). */
    static boolean alive(final Ignite ignite, final long order)
    {
        for (final ClusterNode node : ignite.cluster().nodes())
        {
            if (node.order() == order)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Polling with back-off: 1, 2, 4 ... {@value #MAX_BACKOFF_MS} ms. Unlike a local wait, an interrupt ends it
     * (the flag stays set): Ignite cancels a job by interrupting its thread, and a node stops only once its jobs
     * have ended, so a job waiting for a lock whose caller died must be able to go.
     */
    static final class Backoff
    {
        private final String what;
        private long nanos = TimeUnit.MILLISECONDS.toNanos(1);

        Backoff(final String what)
        {
            this.what = what;
        }

        /**
         * Sleeps at most {@code leftNanos}.
         *
         * @throws IgniteInterruptedException when the thread is interrupted (a cancelled job, a stopping node).
         */
        void idle(final long leftNanos)
        {
            if (Thread.currentThread().isInterrupted())
            {
                throw new IgniteInterruptedException("interrupted while waiting for " + what +
                    " (a cancelled task or a stopping node)");
            }
            LockSupport.parkNanos(Math.max(0, Math.min(nanos, leftNanos)));
            nanos = Math.min(TimeUnit.MILLISECONDS.toNanos(MAX_BACKOFF_MS), nanos * 2);
        }
    }
}
