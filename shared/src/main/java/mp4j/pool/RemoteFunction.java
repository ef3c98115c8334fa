package mp4j.pool;

import java.io.Serializable;

/**
 * A function a {@link Pool} runs in its worker JVMs on one item, as the {@code func} of Python's
 * {@code Pool.map}: a serializable lambda or method reference ({@code x -> x * x}, {@code Math::sqrt}).
 * What it captures must be serializable too; it reaches each worker once per map call, not once per item.
 *
 * @param <T> the type of an item
 * @param <R> the type of its result
 */
@FunctionalInterface
public interface RemoteFunction<T, R> extends Serializable
{
    /**
     * Runs in a worker on one item.
     *
     * @param item one of the items given to the map, decoded in the worker; may be null
     * @return the item's result, encoded back to the caller; may be null
     * @throws Exception anything: it fails the item's task and reaches the caller as {@link TaskException} says
     */
    R apply(T item) throws Exception;
}
