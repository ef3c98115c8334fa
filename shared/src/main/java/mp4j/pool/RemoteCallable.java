package mp4j.pool;

import java.io.Serializable;
import java.util.concurrent.Callable;

/** A {@link Callable} that can run in a worker JVM: a lambda given where this type is expected is serializable. */
@FunctionalInterface
public interface RemoteCallable<V> extends Callable<V>, Serializable
{
}
