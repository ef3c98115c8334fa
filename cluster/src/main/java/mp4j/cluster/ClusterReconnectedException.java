package mp4j.cluster;

/**
 * A cluster call that was under way when the cluster dropped this client (its server died, or the servers did not
 * hear from it in time) and that is not safe to repeat, such as adding to a Value: the client has joined again and
 * the object is usable, but whether the call took effect is unknown; the message says what to check.
 */
public final class ClusterReconnectedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    ClusterReconnectedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
