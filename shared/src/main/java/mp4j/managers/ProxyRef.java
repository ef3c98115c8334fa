package mp4j.managers;

import mp4j.session.DirectoryEntry;
import mp4j.session.Session;

import java.io.InvalidObjectException;
import java.io.Serializable;

/**
 * What a proxy ({@link SharedDict}, {@link SharedList}, {@link Namespace}) becomes on its way to another process,
 * as Python pickles a proxy as its token: the session, the manager's directory index and the container's id. The
 * receiver attaches to the same container; nothing of its content travels.
 */
record ProxyRef(String sessionName, int managerIndex, int id, int kind) implements Serializable
{
    private Object readResolve() throws InvalidObjectException
    {
        final Session session = Session.currentOrNull();
        if (session == null || !session.name().equals(sessionName))
        {
            throw new InvalidObjectException(ContainerLayout.kindName(kind) + " #" + id + " belongs to session " +
                sessionName + ", but this process is in " + (session == null ? "no session" : session.name()) +
                "; a manager's containers can only be passed to processes of the same session");
        }
        final DirectoryEntry entry = managerIndex >= 0 && managerIndex < session.directory().capacity() ?
            session.directory().entry(managerIndex) : null;
        if (entry == null)
        {
            throw new InvalidObjectException("directory entry " + managerIndex + " of session " + sessionName +
                " is empty; the manager of " + ContainerLayout.kindName(kind) + " #" + id + " is gone");
        }
        final Store store;
        try
        {
            store = Store.of(session, entry);
        }
        catch (final RuntimeException ex)
        {
            final InvalidObjectException failure = new InvalidObjectException("cannot attach to the manager of " +
                ContainerLayout.kindName(kind) + " #" + id + ": " + ex.getMessage());
            failure.initCause(ex);
            throw failure;
        }
        return Manager.proxy(store, id, kind);
    }
}
