package mp4j.queues;

/**
 * Python's {@code multiprocessing.BufferTooShort}: a message did not fit where {@link Connection#recvBytesInto} or
 * {@link Connection#recvBytes(int)} was to put it. The message is not lost: {@link #received()} holds all of it.
 */
public final class BufferTooShort extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The whole message that did not fit. */
    private final byte[] received;

    /**
     * An error keeping the message, so it is not lost.
     *
     * @param received the whole message; kept as given, not copied.
     * @param message  how long it was and how much room there was.
     */
    public BufferTooShort(final byte[] received, final String message)
    {
        super(message);
        this.received = received;
    }

    /**
     * The whole message that did not fit.
     *
     * @return its bytes (Python's {@code e.args[0]}).
     */
    public byte[] received()
    {
        return received;
    }
}
