package mp4j.sharedctypes;

import mp4j.synchronize.SharedLock;

/**
 * Python's {@code Value(typecode, init)}: one number shared by the processes of a context. Single reads, writes
 * and the atomic methods need no lock; a compound update ({@code v.set(v.get() + 1)}) holds {@link #getLock()}.
 */
public interface SharedValue
{
    /** The Python type code it was made with ('i', 'q', 'd', ...). */
    char typeCode();

    /** The value as a long (floats truncated). */
    long get();

    /** Stores {@code value}, wrapped to the type's width as C does. */
    void set(long value);

    double getDouble();

    void setDouble(double value);

    /** Atomically adds (integer type codes); returns the previous value. */
    long getAndAdd(long delta);

    long addAndGet(long delta);

    long incrementAndGet();

    long decrementAndGet();

    /** Atomically stores {@code update} if it holds {@code expected} (integer type codes). */
    boolean compareAndSet(long expected, long update);

    /** Its lock, as Python's {@code get_lock()}. */
    SharedLock getLock();
}
