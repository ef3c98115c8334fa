package mp4j.session;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/** What a {@link SharedObject} becomes on the wire: the session, its directory index and its class. */
public record SharedObjectRef(String sessionName, int entryIndex, Class<? extends SharedObject> type)
    implements Serializable
{
    private Object readResolve() throws InvalidObjectException
    {
        final Session session = Session.currentOrNull();
        if (session == null || !session.name().equals(sessionName))
        {
            throw new InvalidObjectException(type.getSimpleName() + " #" + entryIndex + " belongs to session " +
                sessionName + ", but this process is in " + (session == null ? "no session" : session.name()) +
                "; shared objects can only be passed to processes of the same session");
        }
        final DirectoryEntry entry = session.directory().entry(entryIndex);
        if (entry == null)
        {
            throw new InvalidObjectException("directory entry " + entryIndex + " of session " + sessionName +
                " is empty; the " + type.getSimpleName() + " it named is gone");
        }
        try
        {
            final Constructor<? extends SharedObject> constructor =
                type.getDeclaredConstructor(Session.class, DirectoryEntry.class);
            constructor.setAccessible(true);
            return constructor.newInstance(session, entry);
        }
        catch (final NoSuchMethodException | InstantiationException | IllegalAccessException ex)
        {
            throw new IllegalStateException(type.getName() + " needs a constructor (Session, DirectoryEntry)", ex);
        }
        catch (final InvocationTargetException ex)
        {
            final InvalidObjectException failure = new InvalidObjectException(
                "cannot attach to " + type.getSimpleName() + " '" + entry.name() + "': " + ex.getCause());
            failure.initCause(ex.getCause());
            throw failure;
        }
    }
}
