package mp4j.sharedctypes;

import mp4j.synchronize.SharedLock;

/**
 * Python's {@code multiprocessing.Value(typecode, init)}: one number shared by the processes of a context. Single
 * reads, writes and the atomic methods need no lock; a compound update ({@code v.set(v.get() + 1)}) holds
 * {@link #getLock()}. Locally a {@link Value}, drawn by {@link SynchronizedLayout}.
 */
public interface SharedValue
{
    /**
     * The type it was made with, as Python's {@code _type_}.
     *
     * @return the ctypes type code ('i', 'q', 'd', ...; see {@link CTypes#CODES}).
     */
    char typeCode();

    /**
     * The value, as Python's {@code value}, for an integer type.
     *
     * @return the value as a long: unsigned types zero-extended, floats truncated toward zero.
     */
    long get();

    /**
     * Stores {@code value}, as Python's {@code value = ...}.
     *
     * @param value the new value, wrapped to the type's width as C does (300 in a 'b' is 44).
     */
    void set(long value);

    /**
     * The value, for a floating-point type.
     *
     * @return the value as a double (an integer type's value converted).
     */
    double getDouble();

    /**
     * Stores {@code value}, for a floating-point type.
     *
     * @param value the new value; an integer type stores it truncated toward zero and wrapped.
     */
    void setDouble(double value);

    /**
     * Atomically adds {@code delta}, without the lock.
     *
     * @param delta what to add; the sum wraps to the type's width.
     * @return the value before the addition.
     * @throws IllegalStateException when the type code is not an integer one ('f', 'd', 'c'): use the lock.
     */
    long getAndAdd(long delta);

    /**
     * Atomically adds {@code delta}, without the lock: Python's {@code with v.get_lock(): v.value += delta}.
     *
     * @param delta what to add; the sum wraps to the type's width.
     * @return the value after the addition.
     * @throws IllegalStateException when the type code is not an integer one ('f', 'd', 'c'): use the lock.
     */
    long addAndGet(long delta);

    /**
     * Atomically adds 1, without the lock.
     *
     * @return the value after the addition.
     * @throws IllegalStateException when the type code is not an integer one ('f', 'd', 'c'): use the lock.
     */
    long incrementAndGet();

    /**
     * Atomically subtracts 1, without the lock.
     *
     * @return the value after the subtraction.
     * @throws IllegalStateException when the type code is not an integer one ('f', 'd', 'c'): use the lock.
     */
    long decrementAndGet();

    /**
     * Atomically stores {@code update} if the value is {@code expected}, without the lock.
     *
     * @param expected the value it must hold now, as {@link #get()} gives it.
     * @param update   the value to store, wrapped to the type's width.
     * @return true when stored; false when the value was something else.
     * @throws IllegalStateException when the type code is not an integer one ('f', 'd', 'c'): use the lock.
     */
    boolean compareAndSet(long expected, long update);

    /**
     * Its lock, as Python's {@code get_lock()}.
     *
     * @return its own RLock, or the Lock/RLock it was given.
     * @throws IllegalStateException when it was made with {@code lock=false}.
     */
    SharedLock getLock();
}
