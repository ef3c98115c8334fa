package mp4j.session;

/**
 * What a directory entry holds. The codes are part of the file layout ({@link SessionLayout}): never renumber.
 * Codes 15 and 16 are retired (kinds RING and BLOCK, never written): never reuse them.
 */
public enum ObjectKind
{
    EMPTY(0),
    VALUE(1),
    ARRAY(2),
    LOCK(3),
    RLOCK(4),
    SEMAPHORE(5),
    BOUNDED_SEMAPHORE(6),
    EVENT(7),
    CONDITION(8),
    BARRIER(9),
    QUEUE(10),
    SIMPLE_QUEUE(11),
    JOINABLE_QUEUE(12),
    PIPE(13),
    POOL(14),
    SHARED_MEMORY(17),
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

    public int code()
    {
        return code;
    }

    /** The kind for a code read from a file, or null when the code is unknown (a newer writer, or garbage). */
    public static ObjectKind fromCode(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
