package mp4j.synchronize;

/**
 * Python's {@code threading.BrokenBarrierError}: the {@link Barrier} was broken (a party timed out, aborted it,
 * reset it while others waited, or its process died) while this party waited or tried to.
 */
public final class BrokenBarrierError extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * An error naming the barrier and why it broke.
     *
     * @param message what broke the barrier, and which one.
     */
    public BrokenBarrierError(final String message)
    {
        super(message);
    }
}
