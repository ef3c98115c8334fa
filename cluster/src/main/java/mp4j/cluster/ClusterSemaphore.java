package mp4j.cluster;

import mp4j.synchronize.Acquired;
import mp4j.synchronize.SharedSemaphore;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicReference;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Semaphore} and {@code BoundedSemaphore} on a cluster: one {@link IgniteAtomicReference} holding
 * {@code permits|order=held,...}, the permits free and, per node (by topology order), the permits it holds, changed
 * by compare-and-set. Robust as the local Semaphore: the permits of a node that left are given back by the next
 * acquirer that finds none free. A permit released by a node holding none is a gift (a producer signalling a
 * consumer), as locally. The bound of a BoundedSemaphore is checked in the same compare-and-set, so one release
 * too many always throws.
 */
public final class ClusterSemaphore extends ClusterObject implements SharedSemaphore
{
    private static final long serialVersionUID = 1L;

    /** Long.MAX_VALUE for an unbounded one. */
    private final long bound;
    private transient volatile IgniteAtomicReference<String> state;
    /** Made on first use: a handle that came to a task by deserialization has no field initializers run. */
    private transient Acquired acquired;

    private ClusterSemaphore(final Ignite ignite, final String name, final long bound)
    {
        super(ignite, name);
        this.bound = bound;
    }

    static ClusterSemaphore create(final Ignite ignite, final String name, final int value, final boolean bounded)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("semaphore initial value must be >= 0, got " + value);
        }
        final String kind = bounded ? "BoundedSemaphore" : "Semaphore";
        final String actual = name != null ? name : newName(kind);
        final ClusterSemaphore semaphore = new ClusterSemaphore(ignite, actual, bounded ? value : Long.MAX_VALUE);
        semaphore.state = ignite.atomicReference(actual, value + "|", true);
        ObjectRegistry.record(ignite, actual, kind, "value " + value);
        return semaphore;
    }

    private IgniteAtomicReference<String> state()
    {
        IgniteAtomicReference<String> s = state;
        if (s == null || s.removed())
        {
            s = ignite().atomicReference(name(), null, false);
            if (s == null)
            {
                throw gone();
            }
            state = s;
        }
        return s;
    }

    /** The permits free in {@code text} ({@code permits|order=held,...}). */
    static long permits(final String text)
    {
        return Long.parseLong(text.substring(0, text.indexOf('|')));
    }

    private static Map<Long, Long> held(final String text)
    {
        final Map<Long, Long> held = new TreeMap<>();
        final String rest = text.substring(text.indexOf('|') + 1);
        if (!rest.isEmpty())
        {
            for (final String pair : rest.split(","))
            {
                final int eq = pair.indexOf('=');
                held.put(Long.parseLong(pair.substring(0, eq)), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return held;
    }

    private static String text(final long permits, final Map<Long, Long> held)
    {
        final StringBuilder text = new StringBuilder().append(permits).append('|');
        for (final Map.Entry<Long, Long> entry : held.entrySet())
        {
            if (entry.getValue() > 0)
            {
                text.append(text.charAt(text.length() - 1) == '|' ? "" : ",").append(entry.getKey()).append('=')
                    .append(entry.getValue());
            }
        }
        return text.toString();
    }

    @Override
    public void acquire()
    {
        acquireNanos(Long.MAX_VALUE);
    }

    @Override
    public boolean acquire(final long timeout, final TimeUnit unit)
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout + " " + unit);
        }
        return acquireNanos(unit.toNanos(timeout));
    }

    private boolean acquireNanos(final long timeoutNs)
    {
        final long start = System.nanoTime();
        final Liveness.Backoff backoff = new Liveness.Backoff("Semaphore '" + name() + "'");
        while (!tryAcquire())
        {
            final long left = timeoutNs == Long.MAX_VALUE ? Long.MAX_VALUE : timeoutNs - (System.nanoTime() - start);
            if (left <= 0)
            {
                return false;
            }
            backoff.idle(left);
        }
        return true;
    }

    @Override
    public boolean tryAcquire()
    {
        // safe to repeat: after a drop this node has a new topology order, and what it held before is given back
        return Reconnects.retry(ignite(), "Semaphore '" + name() + "' acquire", this::tryAcquireOnce);
    }

    private boolean tryAcquireOnce()
    {
        final IgniteAtomicReference<String> s = state();
        final Ignite ignite = ignite();
        final long me = Liveness.me(ignite);
        while (true)
        {
            final String now = s.get();
            long permits = permits(now);
            final Map<Long, Long> held = held(now);
            if (permits <= 0)
            {
                // give back what nodes that left were holding
                boolean recovered = false;
                for (final Long order : held.keySet().toArray(new Long[0]))
                {
                    if (!Liveness.alive(ignite, order))
                    {
                        permits += held.remove(order);
                        recovered = true;
                    }
                }
                if (!recovered || permits <= 0)
                {
                    return false;
                }
            }
            held.merge(me, 1L, Long::sum);
            if (s.compareAndSet(now, text(permits - 1, held)))
            {
                return true;
            }
        }
    }

    @Override
    public void release()
    {
        Reconnects.once(ignite(), "Semaphore '" + name() + "' release", "whether the permit was given back is " +
            "unknown: see getValue()", () ->
        {
            releaseOnce();
            return null;
        });
    }

    private void releaseOnce()
    {
        final IgniteAtomicReference<String> s = state();
        final long me = Liveness.me(ignite());
        while (true)
        {
            final String now = s.get();
            final long permits = permits(now);
            if (permits >= bound)
            {
                throw new IllegalStateException("BoundedSemaphore '" + name() + "' released too many times: its " +
                    "value is already its bound " + bound);
            }
            final Map<Long, Long> held = held(now);
            final Long mine = held.get(me);
            if (mine != null)
            {
                held.put(me, mine - 1);
            }
            if (s.compareAndSet(now, text(permits + 1, held)))
            {
                return;
            }
        }
    }

    @Override
    public Acquired acquired()
    {
        acquire();
        Acquired a = acquired;
        if (a == null)
        {
            a = acquired = this::release;
        }
        return a;
    }

    /** Permits free now (not counting those of nodes that left and are not yet given back). */
    @Override
    public long getValue()
    {
        return Reconnects.retry(ignite(), "Semaphore '" + name() + "' getValue", () -> permits(state().get()));
    }

    @Override
    public void destroy()
    {
        final IgniteAtomicReference<String> s = ignite().atomicReference(name(), null, false);
        if (s != null)
        {
            s.close();
        }
        ObjectRegistry.forget(ignite(), name());
    }
}
