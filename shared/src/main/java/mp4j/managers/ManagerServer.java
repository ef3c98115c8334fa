package mp4j.managers;

import mp4j.codec.CodecException;
import mp4j.queues.Empty;
import mp4j.queues.Full;
import mp4j.queues.Queue;
import mp4j.session.DirectoryEntry;
import mp4j.session.ObjectKind;
import mp4j.session.Session;
import mp4j.process.Target;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * A manager's server process: Python's manager design, for the types registered with {@link Manager#register}. It
 * owns the objects their factories make and runs their methods, one call at a time, for every process of the
 * session; requests come through one {@link Queue}, each answered on the caller's own reply queue. Started by
 * the first {@code register}, as a daemon child of that process; it ends when the manager is shut down (or with
 * that process). Not for direct use: the target of that process.
 * <p>
 * A request is {@code Object[] {op, callId, replyQueue, objectId, name, args}} (the reply queue by its directory
 * index: no Java serialization on the way), its arguments encoded apart (a
 * {@code byte[]}) so that arguments this process refuses to decode get an error reply instead of being lost; a
 * reply is {@code Object[] {callId, ok, value}}, the value encoded apart too, or for an error {@code String[]
 * {class, message, trace}}.
 */
public final class ManagerServer implements Target
{
    static final String REGISTER = "register";
    static final String CREATE = "create";
    static final String CALL = "call";
    static final String RELEASE = "release";
    static final String SHUTDOWN = "shutdown";
    static final int REQUEST_LENGTH = 6;

    private final Map<String, RemoteFactory<?>> factories = new HashMap<>();
    private final Map<Integer, Object> objects = new HashMap<>();
    private final Map<Integer, Queue> replies = new HashMap<>();
    private int nextId;

    /** args: the request Queue, the Manager. */
    @Override
    public void run(final Object... args) throws Exception
    {
        final Queue requests = (Queue)args[0];
        final Manager manager = (Manager)args[1];
        while (true)
        {
            final Object message;
            try
            {
                message = requests.get(true, 200);
            }
            catch (final Empty ex)
            {
                if (manager.isClosed())
                {
                    return;
                }
                continue;
            }
            catch (final CodecException ex)
            {
                continue; // an envelope that is not ours: nobody to answer
            }
            if (!(message instanceof Object[] request) || request.length != REQUEST_LENGTH ||
                !(request[2] instanceof Integer replyIndex))
            {
                continue;
            }
            final Queue reply = replyQueue(replyIndex);
            if (reply == null)
            {
                continue;
            }
            final Object callId = request[1];
            Object[] answer;
            try
            {
                final Object result = handle((String)request[0], (Integer)request[3], (String)request[4],
                    (Object[])ServerClient.decode((byte[])request[5]));
                answer = new Object[] {callId, true, ServerClient.encode(result)};
            }
            catch (final Throwable failure)
            {
                answer = new Object[] {callId, false, describe(failure)};
            }
            try
            {
                reply.put(answer, true, 1_000); // a caller that died leaves its queue unread: never block on it
            }
            catch (final Full ex)
            {
                // nobody reads it
            }
            if (SHUTDOWN.equals(request[0]))
            {
                return;
            }
        }
    }

    /** The reply queue at this directory index: a caller's, made by its process ({@code ServerClient}). */
    private Queue replyQueue(final int index)
    {
        Queue queue = replies.get(index);
        if (queue == null)
        {
            final Session session = Session.current();
            final DirectoryEntry entry = index >= 0 && index < session.directory().capacity() ?
                session.directory().entry(index) : null;
            if (entry == null || entry.kind() != ObjectKind.QUEUE)
            {
                return null; // not a queue: nobody to answer
            }
            queue = new Queue(session, entry);
            replies.put(index, queue);
        }
        return queue;
    }

    private Object handle(final String op, final int objectId, final String name, final Object[] args)
        throws Throwable
    {
        switch (op)
        {
            case REGISTER ->
            {
                factories.put(name, (RemoteFactory<?>)args[0]);
                return null;
            }
            case CREATE ->
            {
                final RemoteFactory<?> factory = factories.get(name);
                if (factory == null)
                {
                    throw new IllegalArgumentException("no type '" + name + "' is registered with this manager; " +
                        "register it first (manager.register(\"" + name + "\", factory))");
                }
                final Object object = factory.create(args);
                final int id = nextId++;
                objects.put(id, object);
                return id;
            }
            case CALL ->
            {
                return invoke(object(objectId), name, args);
            }
            case RELEASE ->
            {
                objects.remove(objectId);
                return null;
            }
            case SHUTDOWN ->
            {
                objects.clear();
                return null;
            }
            default -> throw new IllegalArgumentException("unknown request '" + op + "'");
        }
    }

    private Object object(final int id)
    {
        final Object object = objects.get(id);
        if (object == null)
        {
            throw new IllegalArgumentException("no object #" + id + " in this manager's server (released?)");
        }
        return object;
    }

    /** Calls the public method {@code name} of {@code target} whose parameters take {@code args}. */
    static Object invoke(final Object target, final String name, final Object[] args) throws Throwable
    {
        for (final Method method : target.getClass().getMethods())
        {
            if (method.getName().equals(name) && accepts(method.getParameterTypes(), args))
            {
                try
                {
                    method.setAccessible(true); // the method is public; its class may not be
                    return method.invoke(target, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            }
        }
        throw new NoSuchMethodException(target.getClass().getName() + " has no public method " + name + " taking " +
            args.length + " argument(s) of these types");
    }

    private static boolean accepts(final Class<?>[] parameters, final Object[] args)
    {
        if (parameters.length != args.length)
        {
            return false;
        }
        for (int i = 0; i < parameters.length; i++)
        {
            final Class<?> type = parameters[i].isPrimitive() ? boxed(parameters[i]) : parameters[i];
            if (args[i] == null ? parameters[i].isPrimitive() : !type.isInstance(args[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static Class<?> boxed(final Class<?> primitive)
    {
        return java.lang.invoke.MethodType.methodType(primitive).wrap().returnType();
    }

    private static String[] describe(final Throwable failure)
    {
        final StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return new String[] {failure.getClass().getName(), String.valueOf(failure.getMessage()), trace.toString()};
    }
}
