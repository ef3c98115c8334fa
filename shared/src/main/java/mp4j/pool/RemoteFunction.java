package mp4j.pool;

import java.io.Serializable;

/**
 * A function a {@link Pool} runs in its worker JVMs on one item, as the {@code func} of Python's
 * {@code Pool.map}: a serializable lambda or method reference ({@code x -> x * x}, {@code Math::sqrt}).
 * What it captures must be serializable too; it reaches each worker once per map call, not once per item.
 */
@FunctionalInterface
public interface RemoteFunction<T, R> extends Serializable
{
    R apply(T item) throws Exception;
}
