package mp4j.process;

import mp4j.session.Session;
import mp4j.session.SessionLayout;
import org.agrona.concurrent.AtomicBuffer;

import mp4j.codec.CodecException;
import mp4j.codec.ValueCodec;
import org.agrona.ExpandableArrayBuffer;

import java.io.Serializable;
import java.lang.reflect.Constructor;

/**
 * The target and arguments of a process, as they travel to the worker: encoded into the slot's payload
 * area of the session file (no pipe, no socket).
 *
 * @param targetClass a class to instantiate with its no-arg constructor, or null when {@code target} is given.
 * @param target      a serializable target instance (usually a lambda), or null.
 * @param args        the arguments passed to {@link Target#run(Object...)}.
 */
public record ProcessPayload(String targetClass, Target target, Object[] args) implements Serializable
{
    /** Under the one rule of {@link mp4j.codec.SerialFilter}: a target is the program's own code, so it passes. */
    private static final ValueCodec CODEC = new ValueCodec();

    /**
     * Encodes with {@link ValueCodec}: a class target with common arguments needs no Java serialization, which
     * saves a worker the ~100 ms of loading ObjectInputStream's machinery at start.
     */
    public byte[] serialize()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length;
        try
        {
            length = CODEC.encode(new Object[] {targetClass, target, args}, buffer, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("the process target or an argument is not serializable (" +
                ex.getMessage() + "); a worker JVM can only receive serializable values. Make the lambda's " +
                "type Serializable (Target is) and capture only serializable values or shared objects", ex);
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    public void writeTo(final Session session, final int slot)
    {
        writeTo(session, slot, checkedBytes());
    }

    /** The encoded payload, checked to fit a slot. */
    public byte[] checkedBytes()
    {
        final byte[] bytes = serialize();
        if (bytes.length > SessionLayout.PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("the process target and its arguments take " + bytes.length +
                " bytes serialized, over the " + SessionLayout.PAYLOAD_LENGTH + " a process slot holds; pass big " +
                "data through a shared Array or SharedMemory instead of as an argument");
        }
        return bytes;
    }

    /** Writes the payload, then publishes its length: a waiting reserve worker wakes on the length. */
    public static void writeTo(final Session session, final int slot, final byte[] bytes)
    {
        final AtomicBuffer buffer = session.buffer();
        session.reserve(session.payloadOffset(slot), bytes.length, "the target of a new process");
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
        final Object decoded;
        try
        {
            decoded = CODEC.decode(session.buffer(), (int)session.payloadOffset(slot), length);
        }
        catch (final CodecException ex)
        {
            throw new IllegalStateException("cannot read the target of process slot " + slot + ": " +
                ex.getMessage() + (ex.getCause() instanceof ClassNotFoundException ? "; the worker's class path is " +
                "its parent's (" + System.getProperty("java.class.path") + ")" : ""), ex);
        }
        if (!(decoded instanceof Object[] fields) || fields.length != 3 || !(fields[2] instanceof Object[] args))
        {
            throw new IllegalStateException("process slot " + slot + " of " + session.name() +
                " holds no valid target");
        }
        return new ProcessPayload((String)fields[0], (Target)fields[1], args);
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
}
