package mp4j.cluster;

import mp4j.sharedctypes.CTypes;
import mp4j.sharedctypes.SharedValue;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;

/**
 * Python's {@code Value} on a cluster: an {@link IgniteAtomicLong} (kept with a backup, so it outlives its node).
 * Integer type codes wrap to their width as C does (the long holds the unwrapped sum; every read wraps); 'd' and
 * 'f' hold the double's bits. {@link #getLock()} is a cluster RLock, as Python's default. Each call is a round trip
 * to the node that holds the value: milliseconds, not nanoseconds.
 */
public final class ClusterValue extends ClusterObject implements SharedValue
{
    private static final long serialVersionUID = 1L;

    private static final String UNKNOWN_ADD = "whether the add was applied is unknown: read the value (get()) to " +
        "see, or keep such counts where a repeat does no harm";

    /** The array-module type code the value's 64 bits are read as ({@code 'i'}, {@code 'd'}, ...). */
    private final char typeCode;
    private transient volatile IgniteAtomicLong atomic;
    private transient volatile ClusterRLock lock;

    private ClusterValue(final Ignite ignite, final String name, final char typeCode)
    {
        super(ignite, name);
        this.typeCode = typeCode;
    }

    static ClusterValue create(final Ignite ignite, final String name, final char typeCode, final long bits)
    {
        if (CTypes.CODES.indexOf(typeCode) < 0)
        {
            throw new IllegalArgumentException("type code '" + typeCode + "' is not one of " + CTypes.CODES);
        }
        final String actual = name != null ? name : newName("Value");
        final ClusterValue value = new ClusterValue(ignite, actual, typeCode);
        value.atomic = ignite.atomicLong(actual, bits, true);
        ObjectRegistry.record(ignite, actual, "Value", "'" + typeCode + "'");
        return value;
    }

    static long bitsOf(final char typeCode, final long value)
    {
        return CTypes.isFloat(typeCode) ? Double.doubleToRawLongBits(round(typeCode, value)) : value;
    }

    static long bitsOf(final char typeCode, final double value)
    {
        return CTypes.isFloat(typeCode) ? Double.doubleToRawLongBits(round(typeCode, value)) : (long)value;
    }

    private static double round(final char typeCode, final double value)
    {
        return typeCode == 'f' ? (float)value : value;
    }

    private IgniteAtomicLong atomic()
    {
        IgniteAtomicLong a = atomic;
        if (a == null || a.removed())
        {
            a = ignite().atomicLong(name(), 0, false);
            if (a == null)
            {
                throw gone();
            }
            atomic = a;
        }
        return a;
    }

    @Override
    public char typeCode()
    {
        return typeCode;
    }

    @Override
    public long get()
    {
        final long bits = Reconnects.retry(ignite(), "Value '" + name() + "' get", () -> atomic().get());
        return CTypes.isFloat(typeCode) ? (long)Double.longBitsToDouble(bits) : CTypes.wrap(typeCode, bits);
    }

    @Override
    public void set(final long value)
    {
        final long bits = bitsOf(typeCode, value);
        Reconnects.retry(ignite(), "Value '" + name() + "' set", () -> atomic().getAndSet(bits));
    }

    @Override
    public double getDouble()
    {
        final long bits = Reconnects.retry(ignite(), "Value '" + name() + "' get", () -> atomic().get());
        return CTypes.isFloat(typeCode) ? Double.longBitsToDouble(bits) : CTypes.wrap(typeCode, bits);
    }

    @Override
    public void setDouble(final double value)
    {
        final long bits = bitsOf(typeCode, value);
        Reconnects.retry(ignite(), "Value '" + name() + "' set", () -> atomic().getAndSet(bits));
    }

    @Override
    public long getAndAdd(final long delta)
    {
        final long d = integerDelta(delta, "getAndAdd");
        return CTypes.wrap(typeCode, Reconnects.once(ignite(), "Value '" + name() + "' getAndAdd(" + d + ")",
            UNKNOWN_ADD, () -> atomic().getAndAdd(d)));
    }

    @Override
    public long addAndGet(final long delta)
    {
        final long d = integerDelta(delta, "addAndGet");
        return CTypes.wrap(typeCode, Reconnects.once(ignite(), "Value '" + name() + "' addAndGet(" + d + ")",
            UNKNOWN_ADD, () -> atomic().addAndGet(d)));
    }

    @Override
    public long incrementAndGet()
    {
        return addAndGet(1);
    }

    @Override
    public long decrementAndGet()
    {
        return addAndGet(-1);
    }

    @Override
    public boolean compareAndSet(final long expected, final long update)
    {
        integerDelta(0, "compareAndSet");
        return Reconnects.once(ignite(), "Value '" + name() + "' compareAndSet", "whether it set the value is " +
            "unknown: read it (get()) to see", () -> compareAndSetOnce(expected, update));
    }

    private boolean compareAndSetOnce(final long expected, final long update)
    {
        final IgniteAtomicLong a = atomic();
        while (true)
        {
            final long raw = a.get();
            if (CTypes.wrap(typeCode, raw) != CTypes.wrap(typeCode, expected))
            {
                return false;
            }
            if (a.compareAndSet(raw, update))
            {
                return true;
            }
        }
    }

    private long integerDelta(final long delta, final String operation)
    {
        if (!CTypes.isInteger(typeCode))
        {
            throw new IllegalStateException("Value '" + name() + "' has type code '" + typeCode + "'; " + operation +
                " is for the integer codes: use getDouble/setDouble under getLock()");
        }
        return delta;
    }

    /** Its RLock ({@code <name>.lock}), made on first use, as Python's {@code get_lock()}. */
    @Override
    public ClusterRLock getLock()
    {
        ClusterRLock l = lock;
        if (l == null)
        {
            l = lock = ClusterRLock.attachOrCreate(ignite(), name() + ".lock");
        }
        return l;
    }

    @Override
    public void destroy()
    {
        final IgniteAtomicLong a = ignite().atomicLong(name(), 0, false);
        if (a != null)
        {
            a.close();
        }
        getLock().destroyQuietly();
        ObjectRegistry.forget(ignite(), name());
    }

    @Override
    public String toString()
    {
        return "ClusterValue('" + typeCode + "', " + (CTypes.isFloat(typeCode) ? getDouble() : get()) + ")[" + name() + "]";
    }
}
