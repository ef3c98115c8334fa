package mp4j.session;

import java.io.InvalidObjectException;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * What a {@link SharedObject} becomes on the wire: the session, its directory index and its class.
 *
 * @param sessionName the name of the session the object lives in; a receiver must be in the same one
 * @param entryIndex  the object's index in that session's directory
 * @param type        the object's class, which has a constructor {@code (Session, DirectoryEntry)}
 * @serial exclude (a reference passes only between processes of one session, which run one build of mp4j: its
 *         serialized form is no format anyone else reads; and JDK 17's javadoc, before JDK-8275199, asks a comment
 *         of a serializable record's private fields, which cannot have one)
 */
public record SharedObjectRef(String sessionName, int entryIndex, Class<? extends SharedObject> type)
    implements Serializable
{
    /**
     * Serialization's hook: the receiving process attaches to the object in its own mapping of the session.
     *
     * @return a new {@code type} over the same directory entry
     * @throws InvalidObjectException when this process is not in the object's session, the entry is empty, or the
     *                                object cannot be attached to
     */
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
