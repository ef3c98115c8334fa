package mp4j.pool;

import mp4j.codec.ValueCodec;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ObjectInputFilter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;

/**
 * What a task raised, on its way from a worker to the caller, as CPython's {@code ExceptionWithTraceback} and
 * {@code rebuild_exc}: the worker sends the exception itself (Java serialization) beside its class, message and
 * printed trace; the caller rebuilds it, of its own type and with the worker's stack trace, or, where its class
 * cannot be loaded or its bytes cannot be read, stands a {@link RemoteException} in for it, which carries the class
 * name, message and trace as text.
 * <p>
 * Inside the pool (whose jobs pass RuntimeExceptions) the rebuilt exception travels wrapped in this carrier, so a
 * checked exception or an Error arrives unchanged; what the caller sees:
 * <ul>
 * <li>{@code AsyncResult.get()} and an executor's {@code Future.get()}: an ExecutionException whose cause is the
 *     task's exception, as {@code java.util.concurrent} does;</li>
 * <li>{@code map}, {@code apply}, {@code AsyncResult.join()}, {@code imap}'s {@code next()}: the task's exception
 *     thrown again in the caller's thread as {@code ForkJoinTask.join} does: a new exception of the same type,
 *     with the same message, whose stack trace is the caller's (where it made the call) and whose cause is the
 *     task's exception (where the worker raised it); {@code catch (IllegalArgumentException e)} works;</li>
 * <li>error callbacks: the task's exception, or a RemoteException whose cause it is when it is checked or an
 *     Error (the callback's type is {@code Consumer<RuntimeException>}).</li>
 * </ul>
 * A task's exception may be of any Throwable class (it is the user's own code, or the JDK's); what it holds
 * passes the pool's filter as arguments and results do.
 * <p>
 * Public for the other pools of mp4j (the cluster pool of {@code mp4j-cluster}), so that a task's exception
 * reaches the caller the same way whichever context ran it: {@link #describe} where the task ran, {@link #rebuild}
 * where the result arrives, {@link #unwrap} or {@link #inCaller} where the caller waits. A user never catches
 * one: every call of a pool unwraps it first.
 */
public final class TaskException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private TaskException(final Throwable raised)
    {
        super(raised.toString(), raised, false, false);
    }

    // ------------------------------------------------------------------------------------------- worker's side

    /**
     * What a failed task sends back, the worker's side of {@link #rebuild}. Never throws: an exception that cannot
     * be serialized is sent as its text, with the reason.
     *
     * @param ex what the task raised, in the worker
     * @return {@code Object[]{class name, message (or null), printed trace, frames, exception}}, where frames is an
     *         {@code Object[]} of {@code "class|method|file|line"} strings (file empty when unknown) and exception
     *         the encoded exception ({@code byte[]}) or why it could not be encoded ({@code String})
     */
    public static Object[] describe(final Throwable ex)
    {
        final StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        final StackTraceElement[] stack = ex.getStackTrace();
        final Object[] frames = new Object[stack.length];
        for (int i = 0; i < stack.length; i++)
        {
            final StackTraceElement frame = stack[i];
            frames[i] = frame.getClassName() + "|" + frame.getMethodName() + "|" +
                (frame.getFileName() == null ? "" : frame.getFileName()) + "|" + frame.getLineNumber();
        }
        return new Object[]{ex.getClass().getName(), ex.getMessage(), trace.toString(), frames, serialize(ex)};
    }

    /** The exception encoded, or the reason it cannot be (a field that is not serializable, say). */
    private static Object serialize(final Throwable ex)
    {
        try
        {
            final ExpandableArrayBuffer out = new ExpandableArrayBuffer(1024);
            final int length = new ValueCodec().encode(ex, out, 0);
            final byte[] bytes = new byte[length];
            out.getBytes(0, bytes);
            return bytes;
        }
        catch (final RuntimeException | StackOverflowError error)
        {
            return "it could not be serialized in the worker: " + error;
        }
    }

    // ------------------------------------------------------------------------------------------- caller's side

    /**
     * The caller's side of {@link #describe}: the task's exception rebuilt, or a RemoteException standing in for it
     * when its bytes are missing, refused by the filter or name a class this JVM cannot load.
     *
     * @param described  what {@link #describe} returned in the worker, decoded here
     * @param exceptions a codec whose filter is {@link #filter} over the pool's
     * @return a carrier whose cause is the task's exception (with the worker's stack trace) or its stand-in
     * @throws ClassCastException if {@code described} is not what {@link #describe} makes
     */
    public static TaskException rebuild(final Object described, final ValueCodec exceptions)
    {
        final Object[] parts = (Object[])described;
        String whyNot = "the worker sent only its text";
        if (parts.length > 4 && parts[4] instanceof byte[] bytes)
        {
            try
            {
                if (exceptions.decode(new UnsafeBuffer(bytes), 0, bytes.length) instanceof Throwable raised)
                {
                    return new TaskException(raised);
                }
            }
            catch (final RuntimeException | LinkageError ex)
            {
                whyNot = ex.getMessage();
            }
        }
        else if (parts.length > 4 && parts[4] instanceof String reason)
        {
            whyNot = reason;
        }
        final Object[] frames = (Object[])parts[3];
        final StackTraceElement[] stack = new StackTraceElement[frames.length];
        for (int i = 0; i < frames.length; i++)
        {
            final String[] f = ((String)frames[i]).split("\\|", -1);
            stack[i] = new StackTraceElement(f[0], f[1], f[2].isEmpty() ? null : f[2], Integer.parseInt(f[3]));
        }
        return new TaskException(
            new RemoteException((String)parts[0], (String)parts[1], (String)parts[2], stack, whyNot));
    }

    /**
     * The filter a task's exception is read under: any Throwable class (and stack frames), everything else as
     * {@code values} says; the stream's limits (depth, references, sizes) are {@code values}' in every case.
     *
     * @param values the filter the pool reads arguments and results under
     * @return a filter that also lets Throwable classes and stack frames through, within {@code values}' limits
     */
    public static ObjectInputFilter filter(final ObjectInputFilter values)
    {
        return info ->
        {
            Class<?> type = info.serialClass();
            while (type != null && type.isArray())
            {
                type = type.getComponentType();
            }
            if (type != null && (Throwable.class.isAssignableFrom(type) || type == StackTraceElement.class))
            {
                return values.checkInput(new LimitsOnly(info)) == ObjectInputFilter.Status.REJECTED ?
                    ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.ALLOWED;
            }
            return values.checkInput(info);
        };
    }

    /**
     * Takes the task's exception out of its carrier.
     *
     * @param error how a call failed: a TaskException carrying the task's exception, or the pool's own failure
     *              ({@link PoolClosedException}, {@link WorkerDiedException}, ...)
     * @return the task's exception when {@code error} carries one, else {@code error} itself
     */
    public static Throwable unwrap(final Throwable error)
    {
        return error instanceof TaskException carried ? carried.getCause() : error;
    }

    /** What an error callback ({@code Consumer<RuntimeException>}) receives for {@code error}. */
    static RuntimeException forCallback(final RuntimeException error)
    {
        final Throwable raised = unwrap(error);
        return raised instanceof RuntimeException runtime ? runtime : new RemoteException(raised);
    }

    /**
     * {@code failure} (a task's exception, or the pool's own) to throw in the caller's thread: a new exception of the
     * same type and message whose cause is {@code failure} and whose stack trace is this thread's, as
     * {@code ForkJoinTask} rethrows a task's exception in the joining thread. An Error is thrown from here; a checked
     * exception, or one whose type offers no constructor to make such a copy, comes back as a RemoteException whose
     * cause it is.
     *
     * @param failure how the call failed, carried in a TaskException or not
     * @return the exception to throw: the copy, a RemoteException around {@code failure}'s task exception, or
     *         (for a stand-in) a new RemoteException with the stand-in's text and this thread's stack trace
     * @throws Error the copy, when the task raised an Error that can be copied so
     */
    public static RuntimeException inCaller(final Throwable failure)
    {
        final Throwable raised = unwrap(failure);
        if (raised instanceof RemoteException standIn && standIn.isStandIn())
        {
            return new RemoteException(standIn);
        }
        if (raised instanceof RuntimeException || raised instanceof Error)
        {
            final Throwable copy = sameType(raised);
            if (copy instanceof Error error)
            {
                throw error;
            }
            if (copy instanceof RuntimeException runtime)
            {
                return runtime;
            }
        }
        return new RemoteException(raised);
    }

    /**
     * The constructors tried, in order: (String, Throwable) keeps the message as it was; (Throwable) makes it
     * "class: message"; the others get the cause set after.
     */
    private static final Class<?>[][] COPY_CONSTRUCTORS =
        {{String.class, Throwable.class}, {Throwable.class}, {String.class}, {}};

    /** A new {@code raised.getClass()} with {@code raised} as its cause, through a public constructor; or null. */
    private static Throwable sameType(final Throwable raised)
    {
        for (final Class<?>[] parameters : COPY_CONSTRUCTORS)
        {
            final Constructor<?> constructor;
            try
            {
                constructor = raised.getClass().getConstructor(parameters);
            }
            catch (final NoSuchMethodException | SecurityException ex)
            {
                continue;
            }
            final Object[] args = switch (parameters.length)
            {
                case 2 -> new Object[]{raised.getMessage(), raised};
                case 1 -> new Object[]{parameters[0] == String.class ? raised.getMessage() : raised};
                default -> new Object[0];
            };
            final Throwable copy = make(constructor, raised, args);
            if (copy != null)
            {
                return copy;
            }
        }
        return null;
    }

    private static Throwable make(final Constructor<?> constructor, final Throwable raised, final Object... args)
    {
        try
        {
            constructor.trySetAccessible(); // a public constructor of a class that is not (a nested one, say)
            final Throwable copy = (Throwable)constructor.newInstance(args);
            if (copy.getCause() == null)
            {
                copy.initCause(raised);
            }
            return copy.getCause() == raised && copy.getClass() == raised.getClass() ? copy : null;
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            return null; // its constructor raised, or is not for us to call: a RemoteException carries it instead
        }
    }

    /** A filter's view of a stream event without its class: what is left to check is the stream's limits. */
    private record LimitsOnly(ObjectInputFilter.FilterInfo info) implements ObjectInputFilter.FilterInfo
    {
        @Override
        public Class<?> serialClass()
        {
            return null;
        }

        @Override
        public long arrayLength()
        {
            return info.arrayLength();
        }

        @Override
        public long depth()
        {
            return info.depth();
        }

        @Override
        public long references()
        {
            return info.references();
        }

        @Override
        public long streamBytes()
        {
            return info.streamBytes();
        }
    }
}
