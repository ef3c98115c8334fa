package mp4j.pool;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can run in a worker JVM: a lambda given where this type is expected is serializable.
 * What {@link PoolExecutor#submit(RemoteCallable)} takes, as a task of Python's {@code ProcessPoolExecutor}.
 *
 * @param <V> the type of the call's result
 */
@FunctionalInterface
public interface RemoteCallable<V> extends Callable<V>, Serializable
{
}
