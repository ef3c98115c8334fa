package mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;

import java.io.Serializable;

/**
 * The waiting half of a cluster Condition, as the local Condition's: two {@link IgniteAtomicLong}s,
 * {@code <name>.sleepers} (threads waiting) and {@code <name>.signals} (wake-ups handed out and not yet taken).
 * A wake-up is not addressed to one sleeper: any sleeper takes it, so a sleeper that died or timed out costs at
 * most one spurious wake-up later, and no live sleeper misses a notification on its account. Sleepers poll.
 */
final class Waiters implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String name;
    private transient volatile IgniteAtomicLong sleepers;
    private transient volatile IgniteAtomicLong signals;

    Waiters(final Ignite ignite, final String name)
    {
        this.name = name;
        this.sleepers = ignite.atomicLong(name + ".sleepers", 0, true);
        this.signals = ignite.atomicLong(name + ".signals", 0, true);
    }

    private IgniteAtomicLong sleepers(final Ignite ignite)
    {
        IgniteAtomicLong s = sleepers;
        if (s == null || s.removed())
        {
            s = sleepers = ignite.atomicLong(name + ".sleepers", 0, true);
        }
        return s;
    }

    private IgniteAtomicLong signals(final Ignite ignite)
    {
        IgniteAtomicLong s = signals;
        if (s == null || s.removed())
        {
            s = signals = ignite.atomicLong(name + ".signals", 0, true);
        }
        return s;
    }

    /**
     * Releases {@code lock} entirely, waits at most {@code nanos} for a wake-up, takes the lock back.
     *
     * @return false when the time ran out.
     */
    boolean await(final Ignite ignite, final ClusterRLock lock, final long nanos)
    {
        final IgniteAtomicLong sleepers = sleepers(ignite);
        final IgniteAtomicLong signals = signals(ignite);
        // across a client reconnect (Reconnects) every step errs to the harmless side, a spurious wake-up, never a
        // lost one: a count repeated counts a sleeper twice (a wake-up later goes to nobody), a take of a wake-up cut
        // off returns as woken
        Reconnects.retry(ignite, "a wait on '" + name + "'", sleepers::incrementAndGet);
        final int depth = lock.releaseAll();
        final long start = System.nanoTime();
        final Liveness.Backoff backoff = new Liveness.Backoff("a notification of '" + name + "'");
        try
        {
            while (true)
            {
                final long s = Reconnects.retry(ignite, "a wait on '" + name + "'", signals::get);
                if (s > 0 && Reconnects.atMostOnce(ignite, "a wait on '" + name + "'", () ->
                    signals.compareAndSet(s, s - 1), true))
                {
                    return true;
                }
                final long left = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : nanos - (System.nanoTime() - start);
                if (left <= 0)
                {
                    return false;
                }
                backoff.idle(left);
            }
        }
        finally
        {
            Reconnects.atMostOnce(ignite, "a wait on '" + name + "'", sleepers::decrementAndGet, 0L);
            lock.reacquire(depth);
        }
    }

    /** Hands out up to {@code n} wake-ups to the sleepers not yet woken; the caller holds the lock. */
    void notify(final Ignite ignite, final int n)
    {
        // repeated whole when a reconnect cuts it off: a wake-up handed out twice is a spurious one, never a lost one
        Reconnects.retry(ignite, "a notify of '" + name + "'", () ->
        {
            final IgniteAtomicLong sleepers = sleepers(ignite);
            final IgniteAtomicLong signals = signals(ignite);
            while (true)
            {
                final long s = signals.get();
                final long wake = Math.min(n, sleepers.get() - s);
                if (wake <= 0 || signals.compareAndSet(s, s + wake))
                {
                    return null;
                }
            }
        });
    }

    void destroy(final Ignite ignite)
    {
        for (final String part : new String[]{name + ".sleepers", name + ".signals"})
        {
            final IgniteAtomicLong a = ignite.atomicLong(part, 0, false);
            if (a != null)
            {
                a.close();
            }
        }
    }
}
