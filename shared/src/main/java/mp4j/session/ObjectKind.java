package mp4j.session;

/**
 * What a directory entry holds. The codes are part of the file layout ({@link SessionLayout}): never renumber.
 * Codes 15 and 16 are retired (kinds RING and BLOCK, never written): never reuse them.
 */
public enum ObjectKind
{
    /** No object: an entry not (yet) published. */
    EMPTY(0),
    /** A {@code Value}, as Python's {@code multiprocessing.Value}: one typed element, usually with a lock. */
    VALUE(1),
    /**
     * An {@code Array}, as Python's {@code multiprocessing.Array}: {@code count} typed elements, usually with a lock.
     */
    ARRAY(2),
    /** A {@code Lock}, as Python's {@code multiprocessing.Lock}: one lock word. */
    LOCK(3),
    /** An {@code RLock}, as Python's {@code multiprocessing.RLock}: a reentrant lock word. */
    RLOCK(4),
    /** A {@code Semaphore}, as Python's {@code multiprocessing.Semaphore}. */
    SEMAPHORE(5),
    /** A {@code BoundedSemaphore}, as Python's: a semaphore that refuses a release above its initial value. */
    BOUNDED_SEMAPHORE(6),
    /** An {@code Event}, as Python's {@code multiprocessing.Event}. */
    EVENT(7),
    /** A {@code Condition}, as Python's {@code multiprocessing.Condition}, with the lock it waits on. */
    CONDITION(8),
    /** A {@code Barrier}, as Python's {@code multiprocessing.Barrier}; {@code count} holds its parties. */
    BARRIER(9),
    /** A {@code Queue}, as Python's {@code multiprocessing.Queue}; {@code count} holds its capacity. */
    QUEUE(10),
    /** A {@code SimpleQueue}, as Python's {@code multiprocessing.SimpleQueue}. */
    SIMPLE_QUEUE(11),
    /**
     * A {@code JoinableQueue}, as Python's {@code multiprocessing.JoinableQueue}: a queue that counts unfinished tasks.
     */
    JOINABLE_QUEUE(12),
    /**
     * One end of a {@code Pipe}, as Python's {@code multiprocessing.Pipe}: a pipe lists two entries, one per end, over
     * the same bytes.
     */
    PIPE(13),
    /** A {@code Pool}, as Python's {@code multiprocessing.Pool}: its state and task rings. */
    POOL(14),
    /**
     * The record of a {@code SharedMemory} block of {@code /dev/shm}, as Python's {@code
     * multiprocessing.shared_memory.SharedMemory}, or of a {@code SharedMemoryManager}.
     */
    SHARED_MEMORY(17),
    /**
     * A {@code Manager}'s store, as Python's {@code multiprocessing.Manager}: its containers live in blocks of {@code
     * /dev/shm}.
     */
    MANAGER(18);

    private static final ObjectKind[] BY_CODE;

    static
    {
        int max = 0;
        for (final ObjectKind kind : values())
        {
            max = Math.max(max, kind.code);
        }
        BY_CODE = new ObjectKind[max + 1];
        for (final ObjectKind kind : values())
        {
            BY_CODE[kind.code] = kind;
        }
    }

    private final int code;

    ObjectKind(final int code)
    {
        this.code = code;
    }

    /**
     * The code written in a directory entry's {@code kind} field.
     *
     * @return the code, 0 for {@link #EMPTY}
     */
    public int code()
    {
        return code;
    }

    /**
     * The kind for a code read from a file.
     *
     * @param code the entry's {@code kind} field, any int
     * @return the kind, or null when the code is unknown (a newer writer, a retired code, or garbage)
     */
    public static ObjectKind fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
