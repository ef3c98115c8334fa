package mp4j.cluster;

import mp4j.synchronize.Acquired;
import mp4j.synchronize.SharedRLock;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicReference;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code RLock} on a cluster: one {@link IgniteAtomicReference} holding {@code ""} when free, else
 * {@code order:thread:depth}: the owner's node (topology order), thread and recursion depth. The owner acquires
 * again and releases; nobody else releases. Robust as the local RLock: a waiter that finds the owner's node gone
 * takes it over at depth 1.
 */
public final class ClusterRLock extends ClusterObject implements SharedRLock
{
    private static final long serialVersionUID = 1L;

    /** True for the lock of a Value, Event, Condition, ...: made again on use when missing, as its owner is. */
    private final boolean part;
    private transient volatile IgniteAtomicReference<String> word;
    /** Made on first use: a handle that came to a task by deserialization has no field initializers run. */
    private transient Acquired acquired;
    /** The topology order this JVM's node had when it last took the lock through this handle; 0: not held. */
    private transient volatile long heldAt;

    private ClusterRLock(final Ignite ignite, final String name, final boolean part)
    {
        super(ignite, name);
        this.part = part;
    }

    static ClusterRLock create(final Ignite ignite, final String name)
    {
        final String actual = name != null ? name : newName("RLock");
        final ClusterRLock lock = new ClusterRLock(ignite, actual, false);
        lock.word = ignite.atomicReference(actual, "", true);
        ObjectRegistry.record(ignite, actual, "RLock", "");
        return lock;
    }

    /** The lock {@code name}, made when missing; not listed in the registry (a part of another object). */
    static ClusterRLock attachOrCreate(final Ignite ignite, final String name)
    {
        final ClusterRLock lock = new ClusterRLock(ignite, name, true);
        lock.word = ignite.atomicReference(name, "", true);
        return lock;
    }

    private IgniteAtomicReference<String> word()
    {
        IgniteAtomicReference<String> w = word;
        if (w == null || w.removed())
        {
            w = ignite().atomicReference(name(), "", part);
            if (w == null)
            {
                throw gone();
            }
            word = w;
        }
        return w;
    }

    private String me()
    {
        return Liveness.me(ignite()) + ":" + Thread.currentThread().getId() + ":";
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
        final Liveness.Backoff backoff = new Liveness.Backoff("RLock '" + name() + "'");
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
        return tryAcquire(1);
    }

    /** Takes it at {@code depth} if free (or its owner's node is gone), or adds {@code depth} if this thread owns it. */
    private boolean tryAcquire(final int depth)
    {
        // safe to repeat: after a drop this node has a new topology order, so a take made before it reads as a
        // dead owner's and is taken over
        return Reconnects.retry(ignite(), "RLock '" + name() + "' acquire", () -> tryAcquireOnce(depth));
    }

    private boolean tryAcquireOnce(final int depth)
    {
        final IgniteAtomicReference<String> w = word();
        final String me = me();
        while (true)
        {
            final String now = w.get();
            final String next;
            if (now.isEmpty())
            {
                next = me + depth;
            }
            else if (now.startsWith(me))
            {
                next = me + (Integer.parseInt(now.substring(me.length())) + depth);
            }
            else if (!Liveness.alive(ignite(), Long.parseLong(now.substring(0, now.indexOf(':')))))
            {
                next = me + depth; // its owner's node left: taken over, as a local RLock from a dead process
            }
            else
            {
                return false;
            }
            if (w.compareAndSet(now, next))
            {
                heldAt = Liveness.me(ignite());
                return true;
            }
        }
    }

    /**
     * Releases one level of the calling thread's hold.
     *
     * @throws IllegalStateException when the calling thread does not own it.
     */
    @Override
    public void release()
    {
        Reconnects.retryRun(ignite(), "RLock '" + name() + "' release", this::releaseOnce);
    }

    private void releaseOnce()
    {
        final IgniteAtomicReference<String> w = word();
        final String me = me();
        final String now = w.get();
        if (!now.startsWith(me))
        {
            checkNotDropped(now);
            throw new IllegalStateException("cannot release RLock '" + name() + "': it is " +
                (now.isEmpty() ? "not held" : "held by node " + now.substring(0, now.indexOf(':')) + " thread " +
                    now.split(":")[1]) + ", not by this thread; only the owner releases an RLock");
        }
        final int depth = Integer.parseInt(now.substring(me.length()));
        // only the owner changes a held word, so this cannot fail but for a take-over after this node was dropped
        final boolean done = w.compareAndSet(now, depth <= 1 ? "" : me + (depth - 1));
        if (done && depth <= 1)
        {
            heldAt = 0;
        }
        if (!done)
        {
            checkNotDropped(w.get());
            throw new IllegalStateException("RLock '" + name() + "' was taken over while this thread held it: this " +
                "node had left the cluster");
        }
    }

    /** Releases every level of the calling thread's hold (a Condition's wait); returns the depth to take back. */
    int releaseAll()
    {
        return Reconnects.retry(ignite(), "RLock '" + name() + "' release", this::releaseAllOnce);
    }

    private int releaseAllOnce()
    {
        final IgniteAtomicReference<String> w = word();
        final String me = me();
        final String now = w.get();
        if (!now.startsWith(me))
        {
            checkNotDropped(now);
            throw new IllegalStateException("RLock '" + name() + "' is not held by this thread");
        }
        w.compareAndSet(now, "");
        heldAt = 0;
        return Integer.parseInt(now.substring(me.length()));
    }

    /**
     * @throws ClusterReconnectedException when this thread held it at a topology order this JVM no longer has, or
     *                                     a holder took it over: the cluster dropped this client, which freed it.
     */
    private void checkNotDropped(final String now)
    {
        if (dropped())
        {
            throw new ClusterReconnectedException("RLock '" + name() + "' was freed while this thread held it: the " +
                "cluster dropped this client (its server died or did not hear from it) and it joined again as a new " +
                "node; what the lock guarded was not guarded since", null);
        }
    }

    /** True when this JVM's node joined again after taking this handle's lock (its order moved on). */
    private boolean dropped()
    {
        return heldAt != 0 && heldAt != Liveness.me(ignite());
    }

    /** Takes it back at {@code depth} after a Condition's wait. */
    void reacquire(final int depth)
    {
        final Liveness.Backoff backoff = new Liveness.Backoff("RLock '" + name() + "'");
        while (!tryAcquire(depth))
        {
            backoff.idle(Long.MAX_VALUE);
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

    @Override
    public boolean isOwned()
    {
        return Reconnects.retry(ignite(), "RLock '" + name() + "' isOwned", () -> word().get().startsWith(me()));
    }

    /**
     * Whether the lock is held now.
     *
     * @return true when some thread of some node holds it; a moment later that may have changed.
     */
    public boolean isLocked()
    {
        return Reconnects.retry(ignite(), "RLock '" + name() + "' isLocked", () -> !word().get().isEmpty());
    }

    @Override
    public void destroy()
    {
        destroyQuietly();
        ObjectRegistry.forget(ignite(), name());
    }

    void destroyQuietly()
    {
        final IgniteAtomicReference<String> w = ignite().atomicReference(name(), null, false);
        if (w != null)
        {
            w.close();
        }
    }
}
