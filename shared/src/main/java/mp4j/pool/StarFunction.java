package mp4j.pool;

import java.io.Serializable;

/**
 * A function of several arguments that a {@link Pool} runs in a worker JVM, as the {@code func} of Python's
 * {@code apply(func, args)} and {@code starmap(func, iterable)}: a serializable lambda such as
 * {@code args -> (int)args[0] + (int)args[1]}.
 *
 * @param <R> the type of its result
 */
@FunctionalInterface
public interface StarFunction<R> extends Serializable
{
    /**
     * Runs in a worker on one call's arguments.
     *
     * @param args the call's arguments, decoded in the worker, as the caller gave them ({@code apply} without
     *             arguments gives an empty array)
     * @return the call's result, encoded back to the caller; may be null
     * @throws Exception anything: it fails the call and reaches the caller as {@link TaskException} says
     */
    R apply(Object... args) throws Exception;
}
