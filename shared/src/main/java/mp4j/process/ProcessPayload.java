package mp4j.process;

import mp4j.session.Session;
import mp4j.session.SessionLayout;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.reflect.Constructor;

/**
 * The target and arguments of a process, as they travel to the worker: Java-serialized into the slot's payload
 * area of the session file (no pipe, no socket).
 *
 * @param targetClass a class to instantiate with its no-arg constructor, or null when {@code target} is given.
 * @param target      a serializable target instance (usually a lambda), or null.
 * @param args        the arguments passed to {@link Target#run(Object...)}.
 */
public record ProcessPayload(String targetClass, Target target, Object[] args) implements Serializable
{
    public byte[] serialize()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(this);
        }
        catch (final NotSerializableException ex)
        {
            throw new IllegalArgumentException("the process target or an argument is not serializable (" +
                ex.getMessage() + "); a worker JVM can only receive serializable values. Make the lambda's " +
                "type Serializable (Target is) and capture only serializable values or shared objects", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot serialize the process target: " + ex, ex);
        }
        return bytes.toByteArray();
    }

    public void writeTo(final Session session, final int slot)
    {
        final byte[] bytes = serialize();
        if (bytes.length > SessionLayout.PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("the process target and its arguments take " + bytes.length +
                " bytes serialized, over the " + SessionLayout.PAYLOAD_LENGTH + " a process slot holds; pass big " +
                "data through a shared Array or SharedMemory instead of as an argument");
        }
        final AtomicBuffer buffer = session.buffer();
        buffer.putBytes((int)session.payloadOffset(slot), bytes);
        session.processTable().setPayloadLength(slot, bytes.length);
    }

    public static ProcessPayload readFrom(final Session session, final int slot)
    {
        final int length = session.processTable().payloadLength(slot);
        if (length <= 0 || length > SessionLayout.PAYLOAD_LENGTH)
        {
            throw new IllegalStateException("process slot " + slot + " of " + session.name() +
                " holds no target (payload length " + length + ")");
        }
        final byte[] bytes = new byte[length];
        session.buffer().getBytes((int)session.payloadOffset(slot), bytes);
        try (ObjectInputStream in = new ContextClassLoaderInputStream(new ByteArrayInputStream(bytes)))
        {
            return (ProcessPayload)in.readObject();
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException("the worker cannot load class " + ex.getMessage() + " of its target; " +
                "the worker's class path is its parent's (" + System.getProperty("java.class.path") + ")", ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read the target of process slot " + slot + ": " + ex, ex);
        }
    }

    /** The target to run: the given instance, or a new instance of the given class. */
    public Target resolveTarget() throws ReflectiveOperationException
    {
        if (target != null)
        {
            return target;
        }
        final Class<?> type = Class.forName(targetClass, true, Thread.currentThread().getContextClassLoader());
        if (!Target.class.isAssignableFrom(type))
        {
            throw new IllegalArgumentException(targetClass + " does not implement " + Target.class.getName());
        }
        final Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return (Target)constructor.newInstance();
    }

    public String describe()
    {
        return targetClass != null ? targetClass : target.getClass().getName();
    }

    private static final class ContextClassLoaderInputStream extends ObjectInputStream
    {
        ContextClassLoaderInputStream(final ByteArrayInputStream in) throws IOException
        {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass desc) throws IOException, ClassNotFoundException
        {
            try
            {
                return Class.forName(desc.getName(), false, Thread.currentThread().getContextClassLoader());
            }
            catch (final ClassNotFoundException ex)
            {
                return super.resolveClass(desc);
            }
        }
    }
}
