package mp4j.managers;

/**
 * The manager's server process (the owner of registered objects, {@link Manager#register}) is gone: killed,
 * exited with the process that started it, or shut down with the manager. Its objects are gone with it; every
 * call on them fails with this at once, never hangs. The manager's dicts, lists and namespaces are not affected:
 * they need no server.
 */
public class ServerDiedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    public ServerDiedException(final String message)
    {
        super(message);
    }
}
