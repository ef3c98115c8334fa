package mp4j.managers;

import mp4j.session.DirectoryEntry;
import mp4j.session.Session;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * An object of a registered type, living in its manager's server process ({@link Manager#register}): Python's
 * {@code BaseProxy}. {@link #call} runs one of its public methods there and returns the result; {@link #as} gives
 * a typed view that calls through an interface. Passing a RemoteObject to another process (a Process argument,
 * a Pool task, a Queue, a container) sends a reference: every process calls the same object. Pass the
 * RemoteObject rather than a typed view (a view is a JDK proxy class, which other processes refuse to decode);
 * {@link #of} gets it back from a view.
 */
public final class RemoteObject implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String sessionName;
    private final int managerIndex;
    private final int id;
    private final String typeId;
    private transient Store store;

    RemoteObject(final Store store, final int id, final String typeId)
    {
        this.sessionName = store.session.name();
        this.managerIndex = store.index;
        this.id = id;
        this.typeId = typeId;
        this.store = store;
    }

    public String typeId()
    {
        return typeId;
    }

    /** The object's number in its server. */
    public int id()
    {
        return id;
    }

    /**
     * Calls the object's public method {@code method} (the one whose parameters take {@code args}) in the server
     * process and returns what it returned.
     *
     * @throws RemoteCallException  the method threw, or there is no such method.
     * @throws ServerDiedException  the server process is gone.
     */
    public Object call(final String method, final Object... args)
    {
        return store().client().call(ManagerServer.CALL, id, method, args);
    }

    /** A view of the object through {@code type}, an interface its class implements: each method is a call. */
    public <T> T as(final Class<T> type)
    {
        if (!type.isInterface())
        {
            throw new IllegalArgumentException(type.getName() + " is not an interface; a remote object is seen " +
                "through an interface its class implements");
        }
        final InvocationHandler handler = (proxy, method, args) ->
        {
            if (method.getDeclaringClass() == Object.class)
            {
                return switch (method.getName())
                {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "<" + typeId + " #" + id + " in the server of manager " + managerIndex + ">";
                };
            }
            return call(method.getName(), args == null ? new Object[0] : args);
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type, View.class},
            (proxy, method, args) -> method.getDeclaringClass() == View.class ? this : handler.invoke(proxy, method,
                args)));
    }

    /** The RemoteObject behind a view made by {@link #as}. */
    public static RemoteObject of(final Object view)
    {
        if (view instanceof View v)
        {
            return v.remote();
        }
        throw new IllegalArgumentException(view + " is not a view of a remote object");
    }

    /** Lets {@link #of} find the object behind a view. */
    public interface View
    {
        RemoteObject remote();
    }

    /** Drops the object from its server (Python frees it when its last proxy goes). */
    public void release()
    {
        store().client().call(ManagerServer.RELEASE, id, "", new Object[0]);
    }

    private Store store()
    {
        if (store == null)
        {
            throw new IllegalStateException("this remote object was not attached to its session");
        }
        return store;
    }

    private Object readResolve() throws ObjectStreamException
    {
        final Session session = Session.currentOrNull();
        if (session == null || !session.name().equals(sessionName))
        {
            throw new InvalidObjectException(typeId + " #" + id + " belongs to session " + sessionName +
                ", but this process is in " + (session == null ? "no session" : session.name()));
        }
        final DirectoryEntry entry = session.directory().entry(managerIndex);
        if (entry == null)
        {
            throw new InvalidObjectException("the manager of " + typeId + " #" + id + " is gone");
        }
        return new RemoteObject(Store.of(session, entry), id, typeId);
    }

    @Override
    public String toString()
    {
        return "<RemoteObject " + typeId + " #" + id + " of manager " + managerIndex + ">";
    }
}
