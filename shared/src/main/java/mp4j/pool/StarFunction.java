package mp4j.pool;

import java.io.Serializable;

/**
 * A function of several arguments that a {@link Pool} runs in a worker JVM, as the {@code func} of Python's
 * {@code apply(func, args)} and {@code starmap(func, iterable)}: a serializable lambda such as
 * {@code args -> (int)args[0] + (int)args[1]}.
 */
@FunctionalInterface
public interface StarFunction<R> extends Serializable
{
    R apply(Object... args) throws Exception;
}
